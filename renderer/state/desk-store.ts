// All desk state in one zustand store: session, sync status, the current call, the card on
// screen and the outcome form. Actions talk to the backend through the injected DeskClient,
// so tests drive the same store with an in-memory client.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeskEvent, DeskFailure, Session, SyncStatus } from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import type { OutcomeResult } from '../../shared/contract/outcomes';
import { contentLanguage, type Language } from '../i18n/languages';
import { markCallOffered } from '../perf/screen-pop';
import { asDeskClientError, type DeskClient } from '../transport/desk-client';
import { shownOffer, type CardSource, type CardView } from './card-view';
import { buildOutcomeDraft, type OutcomeFormProblem, type OutcomeFormValues } from './outcome-draft';

export interface CallView {
  callId: string;
  ani: string;
  state: CtiCallEvent['event'];
}

export interface LookupState {
  status: 'idle' | 'loading' | 'failed';
  error: DeskFailure | null;
}

export interface OutcomeFormState extends OutcomeFormValues {
  saving: boolean;
  problem: OutcomeFormProblem | null;
  error: DeskFailure | null;
  /** The last outcome saved for the card on screen; its sync state is read from the card. */
  savedOutcomeId: string | null;
}

export interface DeskActions {
  /** Subscribes to backend events and restores an existing session; returns the unsubscribe. */
  start(): () => void;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  setLanguage(language: Language): void;
  lookup(phone: string, origin?: { callId: string | null; source: CardSource }): Promise<void>;
  handleEvent(event: DeskEvent): void;
  chooseOffer(offerId: string): void;
  /** Opens one objection answer of the shown offer (null closes it). */
  openObjection(index: number | null): void;
  /** Opens the next objection answer, wrapping around (the Alt+O shortcut). */
  cycleObjection(): void;
  chooseResult(result: OutcomeResult): void;
  setNote(note: string): void;
  setCallbackAt(value: string): void;
  saveOutcome(): Promise<void>;
  syncNow(): Promise<void>;
}

export interface DeskState {
  language: Language;
  session: Session | null;
  /** False until session/current answered, so the login form does not flash on start. */
  sessionChecked: boolean;
  loginPending: boolean;
  loginError: DeskFailure | null;
  /** Set when the backend ended the session under the agent, so the login form can say why. */
  sessionExpired: boolean;
  sync: SyncStatus | null;
  call: CallView | null;
  lookup: LookupState;
  current: CardView | null;
  chosenOfferId: string | null;
  /** Index of the objection answer shown for the shown offer. */
  openObjectionIndex: number | null;
  outcome: OutcomeFormState;
  actions: DeskActions;
}

export type DeskStore = StoreApi<DeskState>;

export interface DeskStoreDeps {
  client: DeskClient;
  language: Language;
  /** Applies a language change outside the store (i18next, <html lang>, saved preference). */
  applyLanguage?: (language: Language) => void;
  now?: () => Date;
}

const EMPTY_OUTCOME_FORM: OutcomeFormState = {
  result: null,
  note: '',
  callbackAt: '',
  saving: false,
  problem: null,
  error: null,
  savedOutcomeId: null,
};

const IDLE_LOOKUP: LookupState = { status: 'idle', error: null };

/** What is cleared whenever another customer comes on screen. */
const NO_CARD = {
  current: null,
  chosenOfferId: null,
  openObjectionIndex: null,
  outcome: EMPTY_OUTCOME_FORM,
} as const;

/** What is cleared whenever the person at the desk changes. */
const SIGNED_OUT = {
  ...NO_CARD,
  session: null,
  sync: null,
  call: null,
  lookup: IDLE_LOOKUP,
} as const;

const failureOf = (error: unknown): DeskFailure => {
  const e = asDeskClientError(error);
  return { code: e.code, message: e.message };
};

export function createDeskStore(deps: DeskStoreDeps): DeskStore {
  const { client } = deps;
  const now = deps.now ?? (() => new Date());
  // Only the newest lookup may put its card on screen; an older answer arriving late is dropped.
  let lookupSeq = 0;

  return createStore<DeskState>()((set, get) => {
    const patchOutcome = (patch: Partial<OutcomeFormState>) => set((s) => ({ outcome: { ...s.outcome, ...patch } }));

    /** An expired session on any call sends the agent back to the login form. */
    const noteFailure = (failure: DeskFailure) => {
      if (failure.code === 'unauthenticated' && get().session !== null) {
        set({ ...SIGNED_OUT, sessionExpired: true });
      }
    };

    const refreshSync = async () => {
      try {
        set({ sync: await client.call('sync/status', {}) });
      } catch (error) {
        noteFailure(failureOf(error));
      }
    };

    /** Re-reads the card on screen (e.g. to show an outcome's new sync state) without resetting the form. */
    const refreshCard = async () => {
      const view = get().current;
      if (view === null) return;
      const seq = lookupSeq;
      try {
        const card = await client.call('card/byPhone', { phone: view.phone, callId: view.callId });
        if (seq === lookupSeq && get().current === view) set({ current: { ...view, card } });
      } catch {
        // The card on screen stays as it was; the next sync event tries again.
      }
    };

    const onCallEvent = (event: CtiCallEvent) => {
      if (get().session === null) return;
      if (event.event === 'offered') {
        markCallOffered(event.callId);
        set({ call: { callId: event.callId, ani: event.ani, state: 'offered' } });
        if (event.ani.trim() === '') {
          // Withheld number: nothing to look up, the agent asks the caller.
          lookupSeq += 1;
          set({ ...NO_CARD, lookup: IDLE_LOOKUP });
          return;
        }
        void get().actions.lookup(event.ani, { callId: event.callId, source: 'call' });
        return;
      }
      const call = get().call;
      if (call !== null && call.callId === event.callId) set({ call: { ...call, state: event.event } });
    };

    const onSyncStatus = (status: SyncStatus) => {
      const before = get().sync;
      set({ sync: status });
      const outboxMoved =
        before === null || before.outboxPending !== status.outboxPending || before.outboxDead !== status.outboxDead;
      // Only a card that lists outcomes (or just saved one) can show a changed sync state.
      const showsOutcomes = Boolean(get().current?.card.recentOutcomes.length) || get().outcome.savedOutcomeId !== null;
      if (outboxMoved && showsOutcomes) void refreshCard();
    };

    const actions: DeskActions = {
      start() {
        const unsubscribe = client.onEvent((event) => get().actions.handleEvent(event));
        void (async () => {
          try {
            const session = await client.call('session/current', {});
            set({ session, sessionChecked: true });
            if (session !== null) await refreshSync();
          } catch {
            set({ sessionChecked: true });
          }
        })();
        return unsubscribe;
      },

      async login(username, password) {
        set({ loginPending: true, loginError: null, sessionExpired: false });
        try {
          const session = await client.call('session/login', { username: username.trim(), password });
          set({ ...SIGNED_OUT, session, loginPending: false });
          await refreshSync();
        } catch (error) {
          set({ loginPending: false, loginError: failureOf(error) });
        }
      },

      async logout() {
        try {
          await client.call('session/logout', {});
        } catch {
          // The desk forgets the session either way; the backend expires it on its own.
        }
        set({ ...SIGNED_OUT, loginError: null });
      },

      setLanguage(language) {
        set({ language });
        deps.applyLanguage?.(language);
      },

      async lookup(phone, origin = { callId: null, source: 'lookup' }) {
        const trimmed = phone.trim();
        if (trimmed === '') return;
        const seq = ++lookupSeq;
        set({ ...NO_CARD, lookup: { status: 'loading', error: null } });
        try {
          const card = await client.call('card/byPhone', { phone: trimmed, callId: origin.callId });
          if (seq !== lookupSeq) return;
          set({ current: { card, phone: trimmed, ...origin }, lookup: IDLE_LOOKUP });
        } catch (error) {
          if (seq !== lookupSeq) return;
          const failure = failureOf(error);
          set({ lookup: { status: 'failed', error: failure } });
          noteFailure(failure);
        }
      },

      handleEvent(event) {
        switch (event.type) {
          case 'call':
            onCallEvent(event.event);
            return;
          case 'sync':
            onSyncStatus(event.status);
            return;
          case 'session':
            if (event.session === null) set({ ...SIGNED_OUT });
            else if (get().session?.agentId !== event.session.agentId) set({ ...SIGNED_OUT, session: event.session });
            else set({ session: event.session });
            return;
        }
      },

      chooseOffer(offerId) {
        set((s) => ({ chosenOfferId: offerId, openObjectionIndex: null, outcome: { ...s.outcome, problem: null } }));
      },

      openObjection(index) {
        set({ openObjectionIndex: index });
      },

      cycleObjection() {
        const { current, chosenOfferId, language, openObjectionIndex } = get();
        const count = shownOffer(current, chosenOfferId)?.script[contentLanguage(language)].objections.length ?? 0;
        if (count === 0) return;
        set({ openObjectionIndex: openObjectionIndex === null ? 0 : (openObjectionIndex + 1) % count });
      },

      chooseResult(result) {
        patchOutcome({ result, problem: null, error: null });
      },

      setNote(note) {
        patchOutcome({ note });
      },

      setCallbackAt(value) {
        patchOutcome({ callbackAt: value, problem: null });
      },

      async saveOutcome() {
        const { current, chosenOfferId, outcome } = get();
        if (current === null || outcome.saving) return;
        const offer = shownOffer(current, chosenOfferId);
        const built = buildOutcomeDraft(outcome, current, offer?.offerId ?? null, now());
        if (!built.ok) {
          patchOutcome({ problem: built.problem });
          return;
        }
        patchOutcome({ saving: true, problem: null, error: null });
        try {
          const saved = await client.call('outcome/record', built.draft);
          if (get().current !== current) return;
          set((s) => ({
            outcome: { ...EMPTY_OUTCOME_FORM, savedOutcomeId: saved.outcomeId },
            sync: s.sync === null ? null : { ...s.sync, outboxPending: saved.outboxPending },
          }));
          await refreshCard();
        } catch (error) {
          const failure = failureOf(error);
          patchOutcome({ saving: false, error: failure });
          noteFailure(failure);
        }
      },

      async syncNow() {
        try {
          set({ sync: await client.call('sync/now', {}) });
        } catch (error) {
          noteFailure(failureOf(error));
        }
      },
    };

    return {
      language: deps.language,
      sessionChecked: false,
      loginPending: false,
      loginError: null,
      sessionExpired: false,
      ...SIGNED_OUT,
      actions,
    };
  });
}
