// All desk state in one zustand store: session, sync status, the current call, the card on
// screen, the outcome form, and in their own slices the open interactions with their drafts
// (interactions.ts), the complaint form (complaint.ts) and the lists (counter search, outbound
// queue, supervisor reports). Actions talk to the backend through the injected DeskClient, so
// tests drive the same store with an in-memory client.
import { DEFAULT_CONTACT_HOURS } from '../../shared/domain/contact-hours';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CustomerCard, DeskEvent, DeskFailure, OpenInteraction, Session, SyncStatus } from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import type { CustomerEventKind } from '../../shared/contract/customer-events';
import type { DeclineReason, NotPresentedReason, OutcomeResult } from '../../shared/contract/outcomes';
import { contentLanguage, type Language } from '../i18n/languages';
import { markCallOffered } from '../perf/screen-pop';
import { failureOf, type DeskClient } from '../transport/desk-client';
import { CARD_OFFERS_SHOWN, shownOffer, type CardRequest, type ShownCard } from './shown-card';
import { COMPLAINT_UNDO_MS, createComplaintSlice, NO_COMPLAINT, type ComplaintActions, type ComplaintState, type CustomerEventDetails } from './complaint';
import { createInteractionSlice, DRAFT_SAVE_DELAY_MS, formOfDraft, NO_INTERACTIONS, type InteractionActions, type InteractionsState } from './interactions';
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

export interface DeskActions extends ListActions, InteractionActions, ComplaintActions {
  /** Subscribes to backend events and restores an existing session; returns the unsubscribe. */
  start(): () => void;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  setLanguage(language: Language): void;
  /** Looks a number up by hand (or for a ringing call when callId is given). */
  lookup(phone: string, callId?: string | null): Promise<void>;
  /**
   * Opens a customer's card from a counter search or the outbound queue (an outbound call opens an
   * interaction). An interaction on screen stays open beside it, its draft saved.
   */
  openCustomer(customerId: string, source: 'search' | 'outbound'): Promise<void>;
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
   * Alt+W (and a complaint once its undo window passed): logs the event for the customer on screen,
   * or the one given; the re-scored card replaces the one shown while the call, the script and the
   * outcome form go on.
   */
  logCustomerEvent(kind: CustomerEventKind, details?: CustomerEventDetails): Promise<void>;
}

/** The last event logged on the card on screen, and how the re-assessment came out. */
export interface LoggedEventState {
  kind: CustomerEventKind;
  status: 'saving' | 'saved' | 'failed';
  /** The churn probability of the re-scored card (null while saving, on failure, or unscored). */
  churnProbability: number | null;
  error: DeskFailure | null;
}

export interface DeskState extends ListState, InteractionsState, ComplaintState {
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
  current: ShownCard | null;
  agentTab: AgentTab;
  chosenOfferId: string | null;
  /** The script step of the shown offer the agent is at (see script-steps.ts). */
  scriptStep: number;
  outcome: OutcomeFormState;
  loggedEvent: LoggedEventState | null;
  /** The desk's clock (injected, so timers on screen are testable). */
  clock: () => Date;
  actions: DeskActions;
}

export type DeskStore = StoreApi<DeskState>;

export interface DeskStoreDeps {
  client: DeskClient;
  language: Language;
  /** Applies a language change outside the store (i18next, <html lang>, saved preference). */
  applyLanguage?: (language: Language) => void;
  now?: () => Date;
  /** How long a draft waits for more typing before it is saved to the desk cache. */
  draftSaveDelayMs?: number;
  /** How long a submitted complaint can be undone before it is logged. */
  complaintUndoMs?: number;
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

/** What is cleared whenever another customer comes on screen (the open interactions stay). */
const NO_CARD = {
  current: null,
  activeInteractionId: null,
  discardAsked: null,
  chosenOfferId: null,
  scriptStep: OPENING_STEP,
  outcome: EMPTY_OUTCOME_FORM,
  loggedEvent: null,
} as const;

/** What is cleared whenever the person at the desk changes. */
const SIGNED_OUT = {
  ...NO_CARD,
  ...EMPTY_LISTS,
  ...NO_INTERACTIONS,
  ...NO_COMPLAINT,
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

  return createStore<DeskState>()((set, get, api) => {
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

    /**
     * Looks a card up and shows it. `screen` is what comes on screen with it (an interaction's id
     * and draft); the interaction, if any, keeps the card it was shown with.
     */
    const showCard = async (request: CardRequest, screen: Partial<DeskState> = {}) => {
      const seq = ++lookupSeq;
      set({ ...NO_CARD, ...screen, lookup: { status: 'loading', error: null }, agentTab: 'card' });
      try {
        const card = await fetchCard(request);
        if (seq !== lookupSeq) return;
        set(cardOnScreen(card, request));
        const interactionId = get().activeInteractionId;
        if (request.by === 'phone' && request.source === 'call' && request.callId !== null && interactionId === request.callId) {
          interactions.cardFetched(interactionId, { by: 'phone', phone: request.phone, callId: request.callId, source: 'call' }, card);
        } else if (request.by === 'customer' && request.source === 'outbound') {
          interactions.outboundOpened({ by: 'customer', customerId: request.customerId, callId: null, source: 'outbound' }, card);
        }
      } catch (error) {
        if (seq !== lookupSeq) return;
        const failure = failureOf(error);
        set({ lookup: { status: 'failed', error: failure } });
        noteFailure(failure);
      }
    };

    /** Every card the agent asks for passes here: an interaction on screen stays open beside it, its draft saved first. */
    const requestCard = async (request: CardRequest) => {
      void get().actions.flushDrafts();
      await showCard(request);
    };

    /** Puts an open interaction on screen with its draft in the form; null clears the screen. */
    const putOnScreen = (interaction: OpenInteraction | null, extra: Partial<DeskState> = {}) => {
      if (interaction === null) {
        lookupSeq += 1;
        set({ ...NO_CARD, lookup: IDLE_LOOKUP, ...extra });
        return;
      }
      const { draft, request, card } = interaction;
      const screen: Partial<DeskState> = {
        ...extra,
        activeInteractionId: interaction.interactionId,
        outcome: { ...EMPTY_OUTCOME_FORM, ...formOfDraft(draft) },
        chosenOfferId: draft.chosenOfferId,
      };
      if (card === null && request.by === 'phone' && request.phone !== '') {
        void showCard(request, screen);
        return;
      }
      lookupSeq += 1;
      // Without a card (a withheld number) the interaction is listed; the agent asks the caller.
      set({ ...NO_CARD, ...screen, ...(card === null ? { lookup: IDLE_LOOKUP } : cardOnScreen(card, request)), agentTab: 'card' });
    };

    const interactions = createInteractionSlice({
      client,
      set,
      get,
      subscribe: api.subscribe,
      noteFailure: (failure) => noteFailure(failure),
      putOnScreen,
      draftSaveDelayMs: deps.draftSaveDelayMs ?? DRAFT_SAVE_DELAY_MS,
      now,
    });

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

    const onCallEvent = (event: CtiCallEvent, at: string, card: CustomerCard | undefined) => {
      if (get().session === null) return;
      if (event.event === 'offered') {
        markCallOffered(event.callId);
        const call = { callId: event.callId, ani: event.ani, state: 'offered' } as const;
        // The ringing call opens beside the interactions already open and comes on screen; the one
        // it replaces on screen stays listed with its draft. The desk built the caller's card as the
        // call rang: shown in the same render, no round trip (without it, it is looked up).
        const interaction = interactions.callOffered(event, at, card ?? null);
        putOnScreen({ ...interaction, card: card ?? interaction.card }, { call });
        return;
      }
      interactions.callChanged(event, at);
      const call = get().call;
      if (call !== null && call.callId === event.callId) set({ call: { ...call, state: event.event } });
    };

    const onSyncStatus = (status: SyncStatus) => {
      const before = get().sync;
      set({ sync: status });
      const outboxMoved = before === null || before.outboxPending !== status.outboxPending || before.outboxDead !== status.outboxDead;
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
      ...interactions.actions,
      ...createComplaintSlice({
        set,
        get,
        logEvent: (kind, details) => get().actions.logCustomerEvent(kind, details),
        undoMs: deps.complaintUndoMs ?? COMPLAINT_UNDO_MS,
      }),

      start() {
        const unsubscribe = client.onEvent((event) => get().actions.handleEvent(event));
        void (async () => {
          try {
            const session = await client.call('session/current', {});
            set({ session, sessionChecked: true });
            if (session !== null) await Promise.all([refreshSync(), get().actions.loadInteractions()]);
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
          await Promise.all([refreshSync(), get().actions.loadInteractions()]);
        } catch (error) {
          set({ loginPending: false, loginError: failureOf(error) });
        }
      },

      async logout() {
        // The desk keeps the open interactions for the next login: their last keystrokes go first,
        // and a complaint still in its undo window is logged while the session lasts.
        await Promise.all([get().actions.flushDrafts(), get().actions.flushComplaint()]);
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
        // A customer already being called back (an open outbound call) comes back with its draft, not a second call.
        const open = get().interactions.find((i) => source === 'outbound' && i.request.by === 'customer' && i.request.customerId === customerId);
        if (open !== undefined) return get().actions.switchInteraction(open.interactionId);
        await requestCard({ by: 'customer', customerId, callId: null, source });
      },

      handleEvent(event) {
        switch (event.type) {
          case 'call':
            onCallEvent(event.event, event.at, event.card);
            return;
          case 'sync':
            onSyncStatus(event.status);
            return;
          case 'session':
            if (event.session === null) set({ ...SIGNED_OUT });
            else if (get().session?.agentId !== event.session.agentId) {
              set({ ...SIGNED_OUT, session: event.session });
              void get().actions.loadInteractions();
            } else set({ session: event.session });
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
        const built = buildOutcomeDraft(outcome, current, offer, session?.role, now(), session?.contactHours ?? DEFAULT_CONTACT_HOURS);
        if (!built.ok) {
          patchOutcome({ problem: built.problem });
          return;
        }
        patchOutcome({ saving: true, problem: null, error: null });
        const { activeInteractionId: interactionId } = get();
        try {
          // The desk closes the interaction in the transaction that records its outcome.
          const saved = await client.call('outcome/record', { ...built.draft, interactionId });
          if (interactionId !== null) interactions.closed(interactionId);
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

      async logCustomerEvent(kind, details) {
        const view = get().current;
        const customerId = details?.customerId ?? view?.card.customer?.id;
        if (customerId === undefined) return;
        // A click while one is saving is a double click; a complaint past its undo window always goes.
        if (details === undefined && get().loggedEvent?.status === 'saving') return;
        const callId = details === undefined ? (view?.request.callId ?? null) : details.callId;
        const seq = lookupSeq;
        // Only the answer for the customer still on screen may replace the card.
        const stillShown = () => seq === lookupSeq && get().current?.card.customer?.id === customerId;
        set({ loggedEvent: { kind, status: 'saving', churnProbability: null, error: null } });
        try {
          const card = await client.call('customer/logEvent', {
            customerId,
            callId,
            kind,
            note: details?.note ?? '',
            ...(details?.category == null ? {} : { category: details.category }),
          });
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
      clock: now,
      actions,
    };
  });
}
