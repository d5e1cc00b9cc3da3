// The agent's outbound queue: the server picks the candidates (due callbacks, at-risk customers of
// the agent's share of the team), the desk builds each one's card from the cache, as it would look
// on an outbound call, and ranks them by what the best offer is expected to be worth. A customer
// whose programme's uplift model expects a retention call to put them off is not called (issue 20).
import { OutboundBestOffer, type CustomerCard, type OutboundQueueItem } from '../shared/contract/desk-api';
import type { OutboundQueueResponse } from '../shared/contract/outbound-queue';
import { RETENTION_CALL_HARMS } from '../shared/offers/arbitrate';

/** Callbacks first (earliest due first), then at-risk customers by expected value of the contact. */
export function rankOutboundQueue(response: OutboundQueueResponse, cardOf: (customerId: string) => CustomerCard | null, now: Date): OutboundQueueItem[] {
  const items: { item: OutboundQueueItem; valueAtRisk: number }[] = [];
  for (const candidate of response.candidates) {
    // Not cached yet (synced after the server chose it): it shows up once the desk has the row.
    const card = cardOf(candidate.customerId);
    if (card?.customer == null) continue;
    // A callback the customer asked for stays; an at-risk call the model says would put them off does not.
    if (candidate.slot === 'at_risk' && card.decision.reasons.some((r) => r.code === RETENTION_CALL_HARMS)) continue;
    const best = card.offers[0];
    items.push({
      valueAtRisk: candidate.valueAtRisk,
      item: {
        customerId: candidate.customerId,
        name: card.customer.name,
        phoneMasked: card.phoneMasked,
        slot: candidate.slot,
        callbackAt: candidate.callbackAt,
        overdue: candidate.slot === 'callback' && candidate.callbackAt !== null && Date.parse(candidate.callbackAt) < now.getTime(),
        stage: card.assessment.stage,
        warningLevel: card.assessment.warningLevel,
        churnProbability: card.assessment.churnProbability,
        valueTier: card.assessment.valueTier,
        expectedValue: best?.expectedValue ?? 0,
        bestOffer: best === undefined ? null : OutboundBestOffer.parse(best),
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
