// The card names the offer of each past outcome from the whole catalogue, so the agent never
// reads an offer id, also for an offer this customer is no longer eligible for.
import { describe, expect, it } from 'vitest';
import type { CardOutcome } from '../../shared/contract/desk-api';
import type { ContactHistory } from '../../shared/contract/entities';
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

/** The hotline card of a customer with no score or offers, holding `held` outcomes and a synced history of `contacts`. */
const cardWithPast = (held: CardOutcome[], contacts: ContactHistory['contacts']) =>
  buildCustomerCard({
    phone: '13812345678',
    customer: customer(),
    score: null,
    offers: [],
    offerStats: new Map(),
    contactHistory: { customerId: customer().id, version: 3, contacts },
    recentOutcomes: held,
    channel: 'hotline',
    explorationSeed: 'call-1',
    now: NOW,
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

describe('past offers from other desks', () => {
  it('are on the card from the synced contact history, newest first, once each, with the held outcomes keeping their notes', () => {
    const held: CardOutcome = { ...past('OFF-A'), outcomeId: 'o-here', recordedAt: '2026-11-12T09:00:00Z', note: '客户说再考虑', syncState: 'pending' };
    const card = cardWithPast(
      [held],
      [
        { outcomeId: 'o-here', offerId: 'OFF-A', result: 'declined', channel: 'hotline', agentId: 'agent01', at: '2026-11-12T09:00:00Z' },
        { outcomeId: 'o-other-desk', offerId: 'OFF-B', result: 'accepted', channel: 'outbound', agentId: 'agent02', at: '2026-11-14T09:00:00Z' },
        { outcomeId: 'o-old', offerId: null, result: 'not_presented', channel: 'store', agentId: 'store01', at: '2026-10-01T09:00:00Z' },
      ],
    );
    expect(card.recentOutcomes.map((o) => [o.outcomeId, o.channel, o.note, o.syncState])).toEqual([
      ['o-other-desk', 'outbound', '', 'synced'],
      ['o-here', 'hotline', '客户说再考虑', 'pending'],
      ['o-old', 'store', '', 'synced'],
    ]);
  });
});

describe('a contact history time with an offset', () => {
  it('is ordered by its instant and shown in UTC, as held outcomes are', () => {
    const held: CardOutcome = { ...past('OFF-A'), outcomeId: 'o-here', recordedAt: '2026-11-14T08:45:00.000Z' };
    const card = cardWithPast(
      [held],
      [
        // 08:30 UTC: earlier than both others, though its text sorts after them.
        { outcomeId: 'o-beijing', offerId: 'OFF-B', result: 'accepted', channel: 'store', agentId: 'store01', at: '2026-11-14T16:30:00+08:00' },
        { outcomeId: 'o-utc', offerId: null, result: 'not_presented', channel: 'hotline', agentId: 'agent02', at: '2026-11-14T09:00:00Z' },
      ],
    );
    expect(card.recentOutcomes.map((o) => [o.outcomeId, o.recordedAt])).toEqual([
      ['o-utc', '2026-11-14T09:00:00.000Z'],
      ['o-here', '2026-11-14T08:45:00.000Z'],
      ['o-beijing', '2026-11-14T08:30:00.000Z'],
    ]);
  });
});
