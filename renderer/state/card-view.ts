import type { CustomerCard } from '../../shared/contract/desk-api';

/** Where a card came from decides the outcome's channel and whether it ends a screen-pop measurement. */
export type CardSource = 'call' | 'lookup';

/** The card on screen together with what it was looked up for. */
export interface CardView {
  card: CustomerCard;
  /** The number as entered or as the switch delivered it. */
  phone: string;
  callId: string | null;
  source: CardSource;
}

/** The offer the agent is presenting: the chosen one if still on the card, else the best. */
export function shownOffer(view: CardView | null, chosenOfferId: string | null) {
  if (view === null) return null;
  const offers = view.card.offers;
  return offers.find((o) => o.offerId === chosenOfferId) ?? offers[0] ?? null;
}
