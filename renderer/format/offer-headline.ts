// The figure an offer is presented by, on the card and in the outbound queue alike. A care action is
// not sold: it reads as care with what it costs (the action plus the call), never as a negative
// expected value; any other offer reads by its expected value.
import type { OutboundBestOffer } from '../../shared/contract/desk-api';

export type OfferFigures = Pick<OutboundBestOffer, 'kind' | 'expectedValue' | 'cost' | 'contactCost'>;

export interface OfferHeadline {
  care: boolean;
  /** Translation keys of the figure's label and of how it is made. */
  labelKey: 'offer.careCost' | 'offer.expectedValue';
  hintKey: 'offer.careCostHint' | 'offer.evFormula';
  yuan: number;
}

export function offerHeadline(offer: OfferFigures): OfferHeadline {
  return offer.kind === 'care'
    ? { care: true, labelKey: 'offer.careCost', hintKey: 'offer.careCostHint', yuan: offer.cost + offer.contactCost }
    : { care: false, labelKey: 'offer.expectedValue', hintKey: 'offer.evFormula', yuan: offer.expectedValue };
}
