// All desk state in one zustand store: session, sync status, the current call, the card on
// screen, the outcome form, and the lists (counter search, outbound queue, supervisor reports)
// in their own slices. Actions talk to the backend through the injected DeskClient, so tests
// drive the same store with an in-memory client.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CustomerCard, DeskEvent, DeskFailure, Session, SyncStatus } from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import type { CustomerEventKind } from '../../shared/contract/customer-events';
import type { DeclineReason, NotPresentedReason, OutcomeResult } from '../../shared/contract/outcomes';
import { contentLanguage, type Language } from '../i18n/languages';
import { markCallOffered } from '../perf/screen-pop';
import { failureOf, type DeskClient } from '../transport/desk-client';
import { CARD_OFFERS_SHOWN, isCallCard, shownOffer, type CardRequest, type CardView } from './card-view';
import { buildOutcomeDraft, type OutcomeFormProblem, type OutcomeFormValues } from './outcome-draft';
import { nextObjectionStep, objectionStep, OPENING_STEP, PITCH_STEP, stepBy } from './script-steps';
import { createListSlices, EMPTY_LISTS, type ListActions, type ListState } from './list-slices';

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

/** The agent's two workspaces: the card (calls, lookups) and the outbound queue. */
export type AgentTab = 'card' | 'outbound';

export interface DeskActions extends ListActions {
  /** Subscribes to backend events and restores an existing session; returns the unsubscribe. */
  start(): () => void;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  setLanguage(language: Language): void;
  /** Looks a number up by hand (or for a ringing call when callId is given). */
  lookup(phone: string, callId?: string | null): Promise<void>;
  /** Opens a customer's card from a counter search or the outbound queue. */
  openCustomer(customerId: string, source: 'search' | 'outbound'): Promise<void>;
  /** Replaces the card still waiting for its wrap-up with the card that was asked for. */
  confirmReplaceCard(): Promise<void>;
  cancelReplaceCard(): void;
  handleEvent(event: DeskEvent): void;
  showTab(tab: AgentTab): void;
  chooseOffer(offerId: string): void;
  /** Alt+P: presents the next of the card's offers (best, then the alternatives), wrapping around. */
  cycleOffer(): void;
  /** Alt+J / Alt+K: the next or previous script step of the shown offer. */
  stepScript(delta: 1 | -1): void;
  /** Opens one objection answer of the shown offer (null goes back to the pitch). */
  openObjection(index: number | null): void;
  /** Opens the next objection answer, wrapping around (the Alt+O shortcut). */
  cycleObjection(): void;
  chooseResult(result: OutcomeResult): void;
  setNote(note: string): void;
  setCallbackAt(value: string): void;
  setDeclineReason(reason: DeclineReason | null): void;
  setNotPresentedReason(reason: NotPresentedReason | null): void;
  saveOutcome(): Promise<void>;
  syncNow(): Promise<void>;
  /**
   * Alt+C / Alt+W: logs a complaint or network fault for the customer on screen; the re-scored
   * card replaces the one shown while the call, the script and the outcome form go on.
   */
  logCustomerEvent(kind: CustomerEventKind): Promise<void>;
}

/** The last event logged on the card on screen, and how the re-assessment came out. */
export interface LoggedEventState {
  kind: CustomerEventKind;
  status: 'saving' | 'saved' | 'failed';
  /** The churn probability of the re-scored card (null while saving, on failure, or unscored). */
  churnProbability: number | null;
  error: DeskFailure | null;
}

export interface DeskState extends ListState {
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
  /** A card asked for while the call on screen still needs its outcome: waits for confirmation. */
  pendingCard: CardRequest | null;
  agentTab: AgentTab;
  chosenOfferId: string | null;
  /** The script step of the shown offer the agent is at (see script-steps.ts). */
  scriptStep: number;
  outcome: OutcomeFormState;
  loggedEvent: LoggedEventState | null;
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

/** A call's card stays until its outcome is recorded (or the agent confirms leaving it). */
export function needsWrapUp(state: Pick<DeskState, 'current' | 'outcome'>): boolean {
  return state.current !== null && isCallCard(state.current.request) && state.outcome.savedOutcomeId === null;
}

const EMPTY_OUTCOME_FORM: OutcomeFormState = {
  result: null,
  note: '',
  callbackAt: '',
  declineReason: null,
  notPresentedReason: null,
  saving: false,
  problem: null,
  error: null,
  savedOutcomeId: null,
};

const IDLE_LOOKUP: LookupState = { status: 'idle', error: null };

/** What is cleared whenever another customer comes on screen. */
const NO_CARD = {
  current: null,
  pendingCard: null,
  chosenOfferId: null,
  scriptStep: OPENING_STEP,
  outcome: EMPTY_OUTCOME_FORM,
  loggedEvent: null,
} as const;

/** What is cleared whenever the person at the desk changes. */
const SIGNED_OUT = {
  ...NO_CARD,
  ...EMPTY_LISTS,
  session: null,
  sync: null,
  call: null,
  lookup: IDLE_LOOKUP,
  agentTab: 'card',
} as const;

export function createDeskStore(deps: DeskStoreDeps): DeskStore {
  const { client } = deps;
  const now = deps.now ?? (() => new Date());
  // Only the newest card request may put its card on screen; an older answer arriving late is dropped.
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

    const fetchCard = (request: CardRequest, refresh = false) => {
      const purpose = refresh ? 'refresh' : request.source;
      return request.by === 'phone'
        ? client.call('card/byPhone', { phone: request.phone, callId: request.callId, purpose })
        : client.call('card/byCustomer', { customerId: request.customerId, callId: null, purpose });
    };

    /** The state of a card shown for `request`, its lookup done (fetched, or sent with the ringing call). */
    const cardOnScreen = (card: CustomerCard, request: CardRequest) => ({ current: { card, request }, lookup: IDLE_LOOKUP });

    const showCard = async (request: CardRequest) => {
      const seq = ++lookupSeq;
      set({ ...NO_CARD, lookup: { status: 'loading', error: null }, agentTab: 'card' });
      try {
        const card = await fetchCard(request);
        if (seq !== lookupSeq) return;
        set(cardOnScreen(card, request));
      } catch (error) {
        if (seq !== lookupSeq) return;
        const failure = failureOf(error);
        set({ lookup: { status: 'failed', error: failure } });
        noteFailure(failure);
      }
    };

    /** Every card the agent asks for passes here: a call's card waiting for its outcome is not dropped silently. */
    const requestCard = async (request: CardRequest) => {
      if (needsWrapUp(get())) {
        set({ pendingCard: request, agentTab: 'card' });
        return;
      }
      await showCard(request);
    };

    /** Re-reads the card on screen (e.g. to show an outcome's new sync state) without resetting the form. */
    const refreshCard = async () => {
      const view = get().current;
      if (view === null) return;
      const seq = lookupSeq;
      try {
        const card = await fetchCard(view.request, true);
        if (seq === lookupSeq && get().current === view) set({ current: { ...view, card } });
      } catch {
        // The card on screen stays as it was; the next sync event tries again.
      }
    };

    const onCallEvent = (event: CtiCallEvent, card: CustomerCard | undefined) => {
      if (get().session === null) return;
      if (event.event === 'offered') {
        markCallOffered(event.callId);
        const call = { callId: event.callId, ani: event.ani, state: 'offered' } as const;
        const request: CardRequest = { by: 'phone', phone: event.ani.trim(), callId: event.callId, source: 'call' };
        // The desk built the caller's card as the call rang: shown in the same render, no round trip.
        if (card !== undefined) {
          lookupSeq += 1;
          set({ ...NO_CARD, call, ...cardOnScreen(card, request), agentTab: 'card' });
          return;
        }
        set({ call });
        // A ringing call cannot wait for a confirmation: its card replaces whatever is on screen.
        if (event.ani.trim() === '') {
          // Withheld number: nothing to look up, the agent asks the caller.
          lookupSeq += 1;
          set({ ...NO_CARD, lookup: IDLE_LOOKUP, agentTab: 'card' });
          return;
        }
        void showCard(request);
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

    const shownScript = () => {
      const { current, chosenOfferId, language } = get();
      return shownOffer(current, chosenOfferId)?.script[contentLanguage(language)] ?? null;
    };

    const actions: DeskActions = {
      ...createListSlices({ client, set, get, noteFailure, now }),

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

      async lookup(phone, callId = null) {
        const trimmed = phone.trim();
        if (trimmed === '') return;
        await requestCard({ by: 'phone', phone: trimmed, callId, source: callId === null ? 'lookup' : 'call' });
      },

      async openCustomer(customerId, source) {
        await requestCard({ by: 'customer', customerId, callId: null, source });
      },

      async confirmReplaceCard() {
        const request = get().pendingCard;
        if (request !== null) await showCard(request);
      },

      cancelReplaceCard() {
        set({ pendingCard: null });
      },

      handleEvent(event) {
        switch (event.type) {
          case 'call':
            onCallEvent(event.event, event.card);
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

      showTab(tab) {
        set({ agentTab: tab });
      },

      chooseOffer(offerId) {
        set((s) => ({ chosenOfferId: offerId, scriptStep: OPENING_STEP, outcome: { ...s.outcome, problem: null } }));
      },

      cycleOffer() {
        const { current, chosenOfferId } = get();
        const shown = shownOffer(current, chosenOfferId);
        if (current === null || shown === null) return;
        const offers = current.card.offers.slice(0, CARD_OFFERS_SHOWN);
        const next = offers[(offers.findIndex((o) => o.offerId === shown.offerId) + 1) % offers.length];
        if (next !== undefined) get().actions.chooseOffer(next.offerId);
      },

      stepScript(delta) {
        const script = shownScript();
        if (script !== null) set({ scriptStep: stepBy(script, get().scriptStep, delta) });
      },

      openObjection(index) {
        set({ scriptStep: index === null ? PITCH_STEP : objectionStep(index) });
      },

      cycleObjection() {
        const script = shownScript();
        const step = script === null ? null : nextObjectionStep(script, get().scriptStep);
        if (step !== null) set({ scriptStep: step });
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

      setDeclineReason(reason) {
        patchOutcome({ declineReason: reason, problem: null });
      },

      setNotPresentedReason(reason) {
        patchOutcome({ notPresentedReason: reason, problem: null });
      },

      async saveOutcome() {
        const { current, chosenOfferId, outcome, session } = get();
        if (current === null || outcome.saving) return;
        const offer = shownOffer(current, chosenOfferId);
        const built = buildOutcomeDraft(outcome, current, offer, session?.role, now());
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

      async logCustomerEvent(kind) {
        const view = get().current;
        const customerId = view?.card.customer?.id;
        if (view === null || customerId === undefined || get().loggedEvent?.status === 'saving') return;
        const seq = lookupSeq;
        // Only the answer for the customer still on screen may replace the card.
        const stillShown = () => seq === lookupSeq && get().current?.card.customer?.id === customerId;
        set({ loggedEvent: { kind, status: 'saving', churnProbability: null, error: null } });
        try {
          const card = await client.call('customer/logEvent', { customerId, callId: view.request.callId, kind, note: '' });
          if (!stillShown()) return;
          set((s) => ({
            current: s.current === null ? null : { ...s.current, card },
            loggedEvent: { kind, status: 'saved', churnProbability: card.assessment.churnProbability, error: null },
          }));
        } catch (error) {
          const failure = failureOf(error);
          if (stillShown()) set({ loggedEvent: { kind, status: 'failed', churnProbability: null, error: failure } });
          noteFailure(failure);
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
