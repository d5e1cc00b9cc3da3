// The card on screen: looking a customer up (by number, from a counter search or the outbound
// queue), putting an open interaction's card back on screen, re-reading the card, and the agent's
// two workspaces. Only the newest card request may put its card on screen.
import type { CustomerCard, DeskFailure, OpenInteraction } from '../../shared/contract/desk-api';
import { failureOf } from '../transport/desk-client';
import type { DeskState } from './desk-store';
import { formOfDraft } from './interactions';
import { NO_LOGGED_EVENT } from './logged-event';
import { EMPTY_OUTCOME_FORM, NO_OUTCOME } from './outcome-form';
import { NO_SCRIPT } from './script';
import type { CardRequest, ShownCard } from './shown-card';
import type { SliceContext } from './slice-context';

export interface LookupState {
  status: 'idle' | 'loading' | 'failed';
  error: DeskFailure | null;
}

/** The agent's two workspaces: the card (calls, lookups) and the outbound queue. */
export type AgentTab = 'card' | 'outbound';

export interface CardState {
  current: ShownCard | null;
  lookup: LookupState;
  agentTab: AgentTab;
}

export interface CardActions {
  /** Looks a number up by hand (or for a ringing call when callId is given). */
  lookup(phone: string, callId?: string | null): Promise<void>;
  /**
   * Opens a customer's card from a counter search or the outbound queue (an outbound call opens an
   * interaction). An interaction on screen stays open beside it, its draft saved.
   */
  openCustomer(customerId: string, source: 'search' | 'outbound'): Promise<void>;
  showTab(tab: AgentTab): void;
}

export const IDLE_LOOKUP: LookupState = { status: 'idle', error: null };

/** What is cleared whenever another customer comes on screen (the open interactions stay). */
export const NO_CARD = {
  current: null,
  activeInteractionId: null,
  discardAsked: null,
  ...NO_SCRIPT,
  ...NO_OUTCOME,
  ...NO_LOGGED_EVENT,
} as const;

/** The card tab shown, no lookup running: the card part of a signed-out desk. */
export const IDLE_CARD_TAB = { lookup: IDLE_LOOKUP, agentTab: 'card' } as const;

interface CardDeps {
  /** A card was fetched and shown for `request`: the interaction it belongs to keeps it. */
  cardShown(request: CardRequest, card: CustomerCard): void;
}

export interface CardSlice {
  actions: CardActions;
  /** Puts an open interaction on screen with its draft in the form; null clears the screen. */
  putOnScreen(interaction: OpenInteraction | null, extra?: Partial<DeskState>): void;
  /** Re-reads the card on screen (e.g. to show an outcome's new sync state) without resetting the form. */
  refreshCard(): Promise<void>;
  /** Counts card requests: an answer for an older one must not touch the screen. */
  requestSeq(): number;
}

export function createCardSlice({ client, set, get, noteFailure }: SliceContext, { cardShown }: CardDeps): CardSlice {
  let lookupSeq = 0;
  /** Counts re-reads of the card on screen, and the newest one whose answer is shown. */
  let refreshSeq = 0;
  let refreshShown = 0;

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
      cardShown(request, card);
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

  return {
    requestSeq: () => lookupSeq,

    putOnScreen(interaction, extra = {}) {
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
    },

    async refreshCard() {
      const view = get().current;
      if (view === null) return;
      const seq = lookupSeq;
      const refresh = (refreshSeq += 1);
      try {
        const card = await fetchCard(view.request, true);
        // Re-reads overlap (an outcome saved, then its upload done): the newest answer wins whichever comes back first.
        const shown = get().current;
        if (seq !== lookupSeq || shown?.request !== view.request || refresh < refreshShown) return;
        refreshShown = refresh;
        set({ current: { ...shown, card } });
      } catch {
        // The card on screen stays as it was; the next sync event tries again.
      }
    },

    actions: {
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

      showTab(tab) {
        set({ agentTab: tab });
      },
    },
  };
}
