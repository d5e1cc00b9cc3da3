import type { CustomerCard } from '../../shared/contract/desk-api';
import type { ContactChannel } from '../../shared/contract/outcomes';
import type { Role } from '../../shared/contract/central-api';
import { contactChannel } from '../../shared/domain/contact-channel';

/**
 * How a card was asked for: by number (a ringing call or a typed lookup) or by customer
 * (a counter search result or an outbound queue entry). The same request re-reads the card.
 */
export type CardRequest =
  | { by: 'phone'; phone: string; callId: string | null; source: 'call' | 'lookup' }
  | { by: 'customer'; customerId: string; callId: null; source: 'search' | 'outbound' };

/** The card on screen together with what it was looked up for. */
export interface ShownCard {
  card: CustomerCard;
  request: CardRequest;
}

/** The best offer and two alternatives: what the agent can present. */
export const CARD_OFFERS_SHOWN = 3;

/** The offer the agent is presenting: the chosen one if still on the card, else the best. */
export function shownOffer(view: ShownCard | null, chosenOfferId: string | null) {
  if (view === null) return null;
  const offers = view.card.offers;
  return offers.find((o) => o.offerId === chosenOfferId) ?? offers[0] ?? null;
}

/** The contact channel an outcome on this card belongs to (the same rule the desk backend applies). */
export const channelOf = (request: CardRequest, role: Role | undefined): ContactChannel => contactChannel(request.source, role);
