// The agent's outbound queue: the server picks the candidates (due callbacks, the agent's share of
// the at-risk customers their team's desks cache, and of those no team caches), the desk builds
// each one's card from the cache, as it would look on an outbound call, and ranks them by what the
// best offer is expected to be worth. A candidate the cache does not hold (outside the team's cache
// scope, or not synced yet) is listed from the server's listing and its card opened from the central
// API when the agent picks it; its best offer is worked out then (until then its expected value is 0).
// A customer whose programme's uplift model expects a retention call to put them off is not called (issue 20).
import { OutboundBestOffer, type CustomerCard, type OutboundQueueItem } from '../shared/contract/desk-api';
import type { OutboundCandidate, OutboundQueueResponse } from '../shared/contract/outbound-queue';
import { retentionCallHarms } from '../shared/offers/arbitrate';

type Listed = Pick<OutboundQueueItem, 'name' | 'phoneMasked' | 'stage' | 'warningLevel' | 'churnProbability' | 'valueTier' | 'expectedValue' | 'bestOffer'>;

/** What the queue shows of a candidate: from the cached card, else from the server's listing; null when the call is not to be made. */
function listedOf(candidate: OutboundCandidate, card: CustomerCard | null): Listed | null {
  if (card?.customer == null) {
    // Only a callback for a customer never scored comes without a listing; the desk cannot show it until it caches them.
    if (candidate.listing === undefined) return null;
    return { ...candidate.listing, expectedValue: 0, bestOffer: null };
  }
  // A callback the customer asked for stays; an at-risk call the model says would put them off does not.
  // The server leaves them out too; kept because this card counts events logged here after the server's list (the event overlay).
  if (candidate.slot === 'at_risk' && retentionCallHarms(card.decision)) return null;
  const best = card.offers[0];
  return {
    name: card.customer.name,
    phoneMasked: card.phoneMasked,
    stage: card.assessment.stage,
    warningLevel: card.assessment.warningLevel,
    churnProbability: card.assessment.churnProbability,
    valueTier: card.assessment.valueTier,
    expectedValue: best?.expectedValue ?? 0,
    bestOffer: best === undefined ? null : OutboundBestOffer.parse(best),
  };
}

/** Callbacks first (earliest due first), then at-risk customers by expected value of the contact. */
export function rankOutboundQueue(response: OutboundQueueResponse, cardOf: (customerId: string) => CustomerCard | null, now: Date): OutboundQueueItem[] {
  const items: { item: OutboundQueueItem; valueAtRisk: number }[] = [];
  for (const candidate of response.candidates) {
    const listed = listedOf(candidate, cardOf(candidate.customerId));
    if (listed === null) continue;
    items.push({
      valueAtRisk: candidate.valueAtRisk,
      item: {
        customerId: candidate.customerId,
        slot: candidate.slot,
        callbackAt: candidate.callbackAt,
        overdue: candidate.slot === 'callback' && candidate.callbackAt !== null && Date.parse(candidate.callbackAt) < now.getTime(),
        ...listed,
      },
    });
  }
  const slotOrder = (item: OutboundQueueItem) => (item.slot === 'callback' ? 0 : 1);
  return items
    .sort(
      (a, b) =>
        slotOrder(a.item) - slotOrder(b.item) ||
        (a.item.slot === 'callback' ? (a.item.callbackAt ?? '').localeCompare(b.item.callbackAt ?? '') : 0) ||
        b.item.expectedValue - a.item.expectedValue ||
        b.valueAtRisk - a.valueAtRisk ||
        a.item.customerId.localeCompare(b.item.customerId),
    )
    .map(({ item }) => item);
}
