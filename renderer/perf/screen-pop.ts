// Screen-pop benchmark marks: from the moment the 'offered' event reaches the renderer to
// the first frame painted with that caller's card. Read them with
// performance.getEntriesByName('clm:screen-pop').
export const CALL_OFFERED_MARK = 'clm:call-offered';
export const CARD_PAINTED_MARK = 'clm:card-painted';
export const SCREEN_POP_MEASURE = 'clm:screen-pop';

/** The call whose card has not been painted yet; later lookups must not end its measurement. */
let awaitingPaintForCallId: string | null = null;

export function markCallOffered(callId: string): void {
  awaitingPaintForCallId = callId;
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
      try {
        performance.mark(CARD_PAINTED_MARK, { detail: { callId } });
        performance.measure(SCREEN_POP_MEASURE, { start: CALL_OFFERED_MARK, end: CARD_PAINTED_MARK, detail: { callId } });
      } catch {
        // A harness may have cleared the start mark meanwhile; a lost sample must not disturb the desk.
      }
    }, 0);
  });
}
