// The desk's one zustand store, composed of slices (zustand's slice pattern), one file per concern:
// session.ts (who is signed in, language), sync.ts, call.ts (the CTI call), card.ts (the card on
// screen, lookups), script.ts (offer and script step), outcome-form.ts, logged-event.ts,
// interactions.ts (open interactions and their drafts), complaint.ts, and the lists search.ts,
// outbound.ts and reports.ts, and id-check.ts (the store counter's ID check on the card). Each
// slice gets the store's set/get through a SliceContext and names the combined DeskState by type
// only, so no slice imports this file at run time.
// Actions talk to the backend through the injected DeskClient, so tests drive the same store
// with an in-memory client.
//
// A new slice: its file exports its State, Actions, signed-out state and create function; add
// them to DeskState, DeskActions, SIGNED_OUT and the actions below.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeskEvent } from '../../shared/contract/desk-api';
import type { Language } from '../i18n/languages';
import type { DeskClient } from '../transport/desk-client';
import { createCallSlice, NO_CALL, type CallState } from './call';
import { createCardSlice, NO_CARD, IDLE_CARD_TAB, type CardActions, type CardState } from './card';
import { COMPLAINT_UNDO_MS, createComplaintSlice, NO_COMPLAINT, type ComplaintActions, type ComplaintState } from './complaint';
import { createIdCheckSlice, NO_ID_CHECK, type IdCheckActions, type IdCheckState } from './id-check';
import { createInteractionSlice, DRAFT_SAVE_DELAY_MS, NO_INTERACTIONS, type InteractionActions, type InteractionsState } from './interactions';
import { createLoggedEventSlice, type LoggedEventActions, type LoggedEventState } from './logged-event';
import { createOutboundSlice, NO_OUTBOUND, type OutboundActions, type OutboundState } from './outbound';
import { createOutcomeSlice, type OutcomeActions, type OutcomeState } from './outcome-form';
import { createReportsSlice, NO_REPORTS, type ReportsActions, type ReportsState } from './reports';
import { createModelReportSlice, NO_MODEL_REPORT, type ModelReportActions, type ModelReportState } from './model-report';
import { createScriptSlice, type ScriptActions, type ScriptState } from './script';
import { createSearchSlice, NO_SEARCH, type SearchActions, type SearchState } from './search';
import { createSessionSlice, SESSION_UNCHECKED, type SessionActions, type SessionState } from './session';
import type { SliceContext } from './slice-context';
import { createSyncSlice, NO_SYNC, type SyncActions, type SyncState } from './sync';

export type { AgentTab } from './card';

export interface DeskActions
  extends
    SessionActions,
    SyncActions,
    CardActions,
    ScriptActions,
    OutcomeActions,
    LoggedEventActions,
    InteractionActions,
    ComplaintActions,
    SearchActions,
    OutboundActions,
    ReportsActions,
    ModelReportActions,
    IdCheckActions {
  /** An event pushed by the desk backend (a CTI call, a sync status, a session change). */
  handleEvent(event: DeskEvent): void;
}

export interface DeskState
  extends
    SessionState,
    SyncState,
    CallState,
    CardState,
    ScriptState,
    OutcomeState,
    LoggedEventState,
    InteractionsState,
    ComplaintState,
    SearchState,
    OutboundState,
    ReportsState,
    ModelReportState,
    IdCheckState {
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
  /** Sends the page elsewhere (browser mode's company sign-in); the window's location by default. */
  leavePage?: (url: string) => void;
}

/** What is cleared whenever the person at the desk changes. */
const SIGNED_OUT = {
  ...NO_CARD,
  ...IDLE_CARD_TAB,
  ...NO_SEARCH,
  ...NO_OUTBOUND,
  ...NO_REPORTS,
  ...NO_MODEL_REPORT,
  ...NO_INTERACTIONS,
  ...NO_COMPLAINT,
  ...NO_SYNC,
  ...NO_CALL,
  ...NO_ID_CHECK,
  session: null,
} as const;

export function createDeskStore(deps: DeskStoreDeps): DeskStore {
  const now = deps.now ?? (() => new Date());

  return createStore<DeskState>()((set, get, api) => {
    const ctx: SliceContext = { client: deps.client, set, get, subscribe: api.subscribe, now, noteFailure: (failure) => session.noteFailure(failure) };

    const session = createSessionSlice(ctx, {
      signedOut: SIGNED_OUT,
      afterSignIn: async () => {
        await Promise.all([sync.refreshSync(), get().actions.loadInteractions()]);
      },
      applyLanguage: deps.applyLanguage,
      leavePage: deps.leavePage,
    });
    const card = createCardSlice(ctx, { cardShown: (request, shown) => interactions.cardShown(request, shown) });
    const interactions = createInteractionSlice(ctx, { putOnScreen: card.putOnScreen, draftSaveDelayMs: deps.draftSaveDelayMs ?? DRAFT_SAVE_DELAY_MS });
    const sync = createSyncSlice(ctx, { refreshCard: card.refreshCard });
    const call = createCallSlice(ctx, { interactions, putOnScreen: card.putOnScreen });

    const actions: DeskActions = {
      ...session.actions,
      ...sync.actions,
      ...card.actions,
      ...createScriptSlice(ctx).actions,
      ...createOutcomeSlice(ctx, { interactionClosed: interactions.closed, refreshCard: card.refreshCard }).actions,
      ...createLoggedEventSlice(ctx, { requestSeq: card.requestSeq }).actions,
      ...interactions.actions,
      ...createComplaintSlice(ctx, {
        logEvent: (kind, details) => get().actions.logCustomerEvent(kind, details),
        undoMs: deps.complaintUndoMs ?? COMPLAINT_UNDO_MS,
      }).actions,
      ...createSearchSlice(ctx).actions,
      ...createOutboundSlice(ctx).actions,
      ...createReportsSlice(ctx).actions,
      ...createModelReportSlice(ctx).actions,
      ...createIdCheckSlice(ctx).actions,

      handleEvent(event) {
        switch (event.type) {
          case 'call':
            call.callEvent(event.event, event.at, event.card);
            return;
          case 'sync':
            sync.syncChanged(event.status);
            return;
          case 'session':
            session.sessionChanged(event.session, event.ended);
            return;
        }
      },
    };

    return { language: deps.language, ...SESSION_UNCHECKED, ...SIGNED_OUT, clock: now, actions };
  });
}
