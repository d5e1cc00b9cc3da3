// The card names the offer of each past outcome from the whole catalogue, so the agent never
// reads an offer id, also for an offer this customer is no longer eligible for.
import { describe, expect, it } from 'vitest';
import type { CardOutcome } from '../../shared/contract/desk-api';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { customer, NOW, offer } from '../offers/fixtures';

const past = (offerId: string | null): CardOutcome => ({
  outcomeId: `o-${offerId}`,
  recordedAt: '2026-11-10T09:00:00Z',
  result: offerId === null ? 'not_presented' : 'declined',
  offerId,
  channel: 'hotline',
  note: '',
  syncState: 'synced',
});

describe('recent outcomes on the card', () => {
  it('carry the catalogue name of their offer, null for none or for an offer the catalogue lost', () => {
    const ineligible = offer('OFF-NOT-FOR-YOU', { name: { zh: '不适合的方案', en: 'Not for you' }, eligibility: { field: 'stage', op: 'in', value: ['E'] } });
    const card = buildCustomerCard({
      phone: '13812345678',
      customer: customer(),
      score: null,
      offers: [ineligible],
      offerStats: new Map(),
      contactHistory: null,
      recentOutcomes: [past('OFF-NOT-FOR-YOU'), past('OFF-WITHDRAWN'), past(null)],
      channel: 'hotline',
      explorationSeed: 'call-1',
      now: NOW,
    });
    expect(card.offers).toHaveLength(0);
    expect(card.recentOutcomes.map((o) => [o.offerId, o.offerName])).toEqual([
      ['OFF-NOT-FOR-YOU', { zh: '不适合的方案', en: 'Not for you' }],
      ['OFF-WITHDRAWN', null],
      [null, null],
    ]);
  });
});
