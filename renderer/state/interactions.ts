// The agent's open interactions: calls whose outcome is not saved yet, each with its draft. The
// desk cache holds them (so a reload or a restart restores them); this slice mirrors the list,
// saves the draft of the one on screen as it is typed (debounced, in order, never dropped), and
// swaps the card on screen when the agent switches. The card slice keeps the card and the form
// on screen; a parked interaction's draft lives here.
import { v7 as uuidv7 } from 'uuid';
import {
  EMPTY_INTERACTION_DRAFT,
  type CustomerCard,
  type DeskFailure,
  type InteractionDraft,
  type InteractionRequest,
  type OpenInteraction,
} from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { failureOf } from '../transport/desk-client';
import type { OutcomeFormValues } from './outcome-draft';
import type { CardRequest } from './shown-card';
import type { SliceContext } from './slice-context';

export interface InteractionsState {
  /** Open interactions as the desk cache holds them, oldest first, drafts as last typed. */
  interactions: OpenInteraction[];
  /** The interaction whose card is on screen (null: a lookup, a search result, or nothing). */
  activeInteractionId: string | null;
  /** The interaction the agent asked to discard: waits for the explicit confirmation. */
  discardAsked: string | null;
  /** A draft save or a discard the desk refused; the draft stays on screen and is saved again on the next change. */
  interactionError: DeskFailure | null;
}

export interface InteractionActions {
  /** Reads the open interactions from the desk cache and puts the newest back on screen. */
  loadInteractions(): Promise<void>;
  switchInteraction(interactionId: string): void;
  /** Alt+I: the next open interaction, wrapping around. */
  cycleInteraction(): void;
  /** For an outbound call (no CTI events): the agent says the call has ended, the wrap-up begins. */
  endCall(): Promise<void>;
  askDiscard(): void;
  cancelDiscard(): void;
  /** Closes the asked-for interaction without an outcome; the desk audit-logs it. */
  confirmDiscard(reason: string): Promise<void>;
  /** Sends every draft change not saved yet, now (before a logout, say). */
  flushDrafts(): Promise<void>;
}

export const NO_INTERACTIONS: InteractionsState = {
  interactions: [],
  activeInteractionId: null,
  discardAsked: null,
  interactionError: null,
};

/** Short enough that a reload right after typing loses nothing in practice, long enough to send one save per burst. */
export const DRAFT_SAVE_DELAY_MS = 200;

export function draftOfForm(form: OutcomeFormValues, chosenOfferId: string | null): InteractionDraft {
  return {
    result: form.result,
    note: form.note,
    callbackAt: form.callbackAt,
    declineReason: form.declineReason,
    notPresentedReason: form.notPresentedReason,
    chosenOfferId,
  };
}

export function formOfDraft(draft: InteractionDraft): OutcomeFormValues {
  return {
    result: draft.result,
    note: draft.note,
    callbackAt: draft.callbackAt,
    declineReason: draft.declineReason,
    notPresentedReason: draft.notPresentedReason,
  };
}

const sameDraft = (a: InteractionDraft, b: InteractionDraft) => (Object.keys(a) as (keyof InteractionDraft)[]).every((key) => a[key] === b[key]);

/** The interaction on screen, if any. */
export function activeInteraction(state: Pick<InteractionsState, 'interactions' | 'activeInteractionId'>): OpenInteraction | null {
  return state.interactions.find((i) => i.interactionId === state.activeInteractionId) ?? null;
}

/** The wrap-up notice shows only once the call on screen has ended and its outcome is still due. */
export function inWrapUp(state: Pick<InteractionsState, 'interactions' | 'activeInteractionId'>): boolean {
  return activeInteraction(state)?.state === 'wrap_up';
}

interface InteractionDeps {
  /** Puts an interaction's card (or, without one, its lookup) and its draft on screen; null clears the screen. */
  putOnScreen: (interaction: OpenInteraction | null) => void;
  draftSaveDelayMs: number;
}

export interface InteractionSlice {
  actions: InteractionActions;
  /** A call rang: it opens beside the interactions already open (its card comes on screen). */
  callOffered(event: CtiCallEvent, at: string, card: CustomerCard | null): OpenInteraction;
  /** Answered / ended: the interaction follows (ended starts its wrap-up at `at`). */
  callChanged(event: CtiCallEvent, at: string): void;
  /**
   * A card was fetched and shown: a ringing call's interaction keeps it (so does the desk), and a
   * card opened from the outbound queue is a new outbound call.
   */
  cardShown(request: CardRequest, card: CustomerCard): void;
  /** Its outcome was recorded (the desk closed it in the same transaction). */
  closed(interactionId: string): void;
}

export function createInteractionSlice(
  { client, set, get, subscribe, noteFailure, now }: SliceContext,
  { putOnScreen, draftSaveDelayMs }: InteractionDeps,
): InteractionSlice {
  // Draft saves wait here per interaction until their delay passes; every desk call of this slice
  // runs one after another, so a slow save never lands after a later one.
  const unsaved = new Map<string, { draft: InteractionDraft; timer: ReturnType<typeof setTimeout> }>();
  let queue: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(call: () => Promise<T>): Promise<T> => {
    const next = queue.then(call, call);
    queue = next.catch(() => undefined);
    return next;
  };

  const patchInteraction = (interactionId: string, patch: (i: OpenInteraction) => OpenInteraction) =>
    set((s) => ({ interactions: s.interactions.map((i) => (i.interactionId === interactionId ? patch(i) : i)) }));

  const saveNow = (interactionId: string): Promise<void> => {
    const entry = unsaved.get(interactionId);
    if (entry === undefined) return queue.then(() => undefined);
    clearTimeout(entry.timer);
    unsaved.delete(interactionId);
    return inOrder(async () => {
      try {
        await client.call('interaction/saveDraft', { interactionId, draft: entry.draft });
        if (get().interactionError !== null) set({ interactionError: null });
      } catch (error) {
        const failure = failureOf(error);
        // Saved or discarded meanwhile (say, in a second window): nothing is left to save it to.
        if (failure.code === 'not_found') return;
        set({ interactionError: failure });
        noteFailure(failure);
      }
    });
  };

  const scheduleSave = (interactionId: string, draft: InteractionDraft) => {
    const previous = unsaved.get(interactionId);
    if (previous !== undefined) clearTimeout(previous.timer);
    unsaved.set(interactionId, { draft, timer: setTimeout(() => void saveNow(interactionId), draftSaveDelayMs) });
  };

  const flushAll = () => Promise.all([...unsaved.keys()].map(saveNow)).then(() => undefined);

  // Every change of the form on screen becomes the active interaction's draft.
  subscribe((state, previous) => {
    if (state.outcome === previous.outcome && state.chosenOfferId === previous.chosenOfferId) return;
    const active = activeInteraction(state);
    if (active === null || state.current === null || state.outcome.savedOutcomeId !== null) return;
    const draft = draftOfForm(state.outcome, state.chosenOfferId);
    if (sameDraft(active.draft, draft)) return;
    patchInteraction(active.interactionId, (i) => ({ ...i, draft }));
    scheduleSave(active.interactionId, draft);
  });

  const show = (interaction: OpenInteraction) => {
    const leaving = get().activeInteractionId;
    if (leaving !== null && leaving !== interaction.interactionId) void saveNow(leaving);
    putOnScreen(interaction);
  };

  const openOnDesk = (interactionId: string, request: InteractionRequest, card: CustomerCard) =>
    void inOrder(async () => {
      try {
        await client.call('interaction/open', { interactionId, request, card });
      } catch (error) {
        noteFailure(failureOf(error));
      }
    });

  /** A new outbound call was dialled: it opens on the desk and comes on screen. */
  const openOutbound = (request: InteractionRequest, card: CustomerCard) => {
    const interactionId = `out-${uuidv7()}`;
    const interaction: OpenInteraction = {
      interactionId,
      request,
      card,
      state: 'talking',
      openedAt: now().toISOString(),
      wrapUpStartedAt: null,
      draft: EMPTY_INTERACTION_DRAFT,
    };
    set((s) => ({ interactions: [...s.interactions, interaction], activeInteractionId: interactionId }));
    openOnDesk(interactionId, request, card);
  };

  const actions: InteractionActions = {
    async loadInteractions() {
      try {
        const { interactions } = await client.call('interaction/list', {});
        if (get().session === null) return;
        // Anything that rang while the list was read stays (the list is the older view).
        const known = new Set(interactions.map((i) => i.interactionId));
        set((s) => ({ interactions: [...interactions, ...s.interactions.filter((i) => !known.has(i.interactionId))] }));
        const newest = get().interactions.at(-1);
        if (newest !== undefined && get().current === null && get().activeInteractionId === null) show(newest);
      } catch (error) {
        noteFailure(failureOf(error));
      }
    },

    switchInteraction(interactionId) {
      const target = get().interactions.find((i) => i.interactionId === interactionId);
      if (target !== undefined && interactionId !== get().activeInteractionId) show(target);
      else if (target !== undefined && get().agentTab !== 'card') set({ agentTab: 'card' });
    },

    cycleInteraction() {
      const { interactions, activeInteractionId } = get();
      if (interactions.length === 0) return;
      const at = interactions.findIndex((i) => i.interactionId === activeInteractionId);
      const next = interactions[(at + 1) % interactions.length];
      if (next !== undefined) actions.switchInteraction(next.interactionId);
    },

    async endCall() {
      const active = activeInteraction(get());
      if (active === null || active.state === 'wrap_up') return;
      try {
        const ended = await inOrder(() => client.call('interaction/endCall', { interactionId: active.interactionId }));
        patchInteraction(active.interactionId, (i) => ({ ...i, state: ended.state, wrapUpStartedAt: ended.wrapUpStartedAt }));
      } catch (error) {
        const failure = failureOf(error);
        set({ interactionError: failure });
        noteFailure(failure);
      }
    },

    askDiscard() {
      const id = get().activeInteractionId;
      if (id !== null) set({ discardAsked: id, interactionError: null });
    },

    cancelDiscard() {
      set({ discardAsked: null });
    },

    async confirmDiscard(reason) {
      const interactionId = get().discardAsked;
      if (interactionId === null) return;
      // The audit row keeps the draft as it was: the last keystrokes go first.
      await saveNow(interactionId);
      try {
        await inOrder(() => client.call('interaction/discard', { interactionId, confirmed: true, reason }));
      } catch (error) {
        const failure = failureOf(error);
        if (failure.code !== 'not_found') {
          set({ interactionError: failure });
          noteFailure(failure);
          return;
        }
      }
      const wasOnScreen = get().activeInteractionId === interactionId;
      slice.closed(interactionId);
      // The discarded card leaves the screen with it (its form could no longer be saved anywhere).
      if (wasOnScreen) putOnScreen(get().interactions.at(-1) ?? null);
    },

    flushDrafts: flushAll,
  };

  const slice: InteractionSlice = {
    actions,

    callOffered(event, at, card) {
      const request: InteractionRequest = { by: 'phone', phone: event.ani.trim(), callId: event.callId, source: 'call' };
      const known = get().interactions.find((i) => i.interactionId === event.callId);
      const interaction: OpenInteraction = known ?? {
        interactionId: event.callId,
        request,
        card,
        state: 'ringing',
        openedAt: at,
        wrapUpStartedAt: null,
        draft: EMPTY_INTERACTION_DRAFT,
      };
      if (known === undefined) set((s) => ({ interactions: [...s.interactions, interaction] }));
      const leaving = get().activeInteractionId;
      if (leaving !== null && leaving !== event.callId) void saveNow(leaving);
      return interaction;
    },

    callChanged(event, at) {
      if (event.event === 'answered') {
        patchInteraction(event.callId, (i) => (i.state === 'ringing' ? { ...i, state: 'talking' } : i));
      } else if (event.event === 'ended') {
        patchInteraction(event.callId, (i) => (i.state === 'wrap_up' ? i : { ...i, state: 'wrap_up', wrapUpStartedAt: at }));
      }
    },

    cardShown(request, card) {
      const interactionId = get().activeInteractionId;
      if (request.by === 'phone' && request.source === 'call' && request.callId !== null && interactionId === request.callId) {
        patchInteraction(interactionId, (i) => ({ ...i, card }));
        openOnDesk(interactionId, { by: 'phone', phone: request.phone, callId: request.callId, source: 'call' }, card);
      } else if (request.by === 'customer' && request.source === 'outbound') {
        openOutbound({ by: 'customer', customerId: request.customerId, callId: null, source: 'outbound' }, card);
      }
    },

    closed(interactionId) {
      const entry = unsaved.get(interactionId);
      if (entry !== undefined) clearTimeout(entry.timer);
      unsaved.delete(interactionId);
      set((s) => ({
        interactions: s.interactions.filter((i) => i.interactionId !== interactionId),
        activeInteractionId: s.activeInteractionId === interactionId ? null : s.activeInteractionId,
        discardAsked: s.discardAsked === interactionId ? null : s.discardAsked,
      }));
    },
  };
  return slice;
}
