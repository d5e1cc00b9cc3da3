// What the card said about the customer and the offer presented, recorded with the outcome: the
// server learns P(accept) per offer x segment from it and supervisors slice outcomes by it.
import type { CardOffer, CustomerCard } from '../contract/desk-api';
import type { OfferContext } from '../contract/outcomes';

export function offerContext(card: CustomerCard, offer: CardOffer | null): OfferContext {
  const { assessment } = card;
  const rank = offer === null ? -1 : card.offers.findIndex((o) => o.offerId === offer.offerId);
  return {
    modelVersion: assessment.modelVersion,
    stage: assessment.stage,
    valueTier: assessment.valueTier,
    warningLevel: assessment.warningLevel,
    churnProbability: assessment.churnProbability,
    segment: card.segment,
    rank: rank < 0 ? null : rank + 1,
    expectedValue: offer?.expectedValue ?? null,
    pAccept: offer?.pAccept ?? null,
    explored: offer?.explored ?? false,
    arpu3m: assessment.arpu3m,
  };
}
