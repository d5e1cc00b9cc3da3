// Screen-pop benchmark marks: from the moment the 'offered' event reaches the renderer to
// the first frame painted with that caller's card. Read them with
// performance.getEntriesByName('clm:screen-pop').
export const CALL_OFFERED_MARK = 'clm:call-offered';
export const CARD_PAINTED_MARK = 'clm:card-painted';
export const SCREEN_POP_MEASURE = 'clm:screen-pop';

/** The call whose card has not been painted yet; later lookups must not end its measurement. */
let awaitingPaintForCallId: string | null = null;
/** The newest offered call: the start mark belongs to it, so only its paint may be measured. */
let lastOfferedCallId: string | null = null;

export function markCallOffered(callId: string): void {
  awaitingPaintForCallId = callId;
  lastOfferedCallId = callId;
  performance.mark(CALL_OFFERED_MARK, { detail: { callId } });
}

/**
 * Call after React committed the card for `callId`. requestAnimationFrame runs just before the
 * frame that shows the card is painted; the task queued from it runs once that paint is done.
 */
export function markCardCommitted(callId: string): void {
  if (awaitingPaintForCallId !== callId) return;
  awaitingPaintForCallId = null;
  requestAnimationFrame(() => {
    setTimeout(() => {
      // Another call rang before this paint: its start mark would make this sample wrong.
      if (lastOfferedCallId !== callId) return;
      try {
        // Measured up to now first: without its start mark (cleared by a harness) nothing is recorded.
        const end = performance.now();
        performance.measure(SCREEN_POP_MEASURE, { start: CALL_OFFERED_MARK, end, detail: { callId } });
        performance.mark(CARD_PAINTED_MARK, { startTime: end, detail: { callId } });
      } catch {
        // A harness may have cleared the start mark meanwhile; a lost sample must not disturb the desk.
      }
    }, 0);
  });
}
