import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerCard } from '../../shared/contract/desk-api';
import { createCardQuery, type CardQuery } from '../../db/cache/card-query';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { createOutbox } from '../../db/outbox/outbox';
import type { CardContext } from '../../db/cache/card-query';
import { explorationSeed } from '../../shared/domain/customer-card';
import {
  makeContactHistory,
  makeCustomer,
  makeDraft,
  makeOffer,
  makeOfferStats,
  makeScore,
  page,
  tombstone,
  upsertContactHistory,
  upsertCustomer,
  upsertOffer,
  upsertOfferStats,
  upsertScore,
} from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();
const now = new Date('2025-06-01T10:00:00Z');
const hotline: CardContext = { channel: 'hotline', callId: 'call-1' };
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

describe('card query', () => {
  let db: CacheDb;
  let cards: CardQuery;
  let apply: ReturnType<typeof createChangeApplier>;

  beforeEach(() => {
    db = openCache(temp.path());
    apply = createChangeApplier(db);
    cards = createCardQuery(db);
    apply(
      page([
        upsertCustomer(1, makeCustomer(1)),
        upsertScore(2, makeScore('c-1')),
        upsertOffer(3, makeOffer('o-1')),
        upsertOffer(4, makeOffer('o-2', { validTo: '2024-12-31' })),
        upsertCustomer(5, makeCustomer(2)),
      ]),
    );
  });
  afterEach(() => db.close());

  it.each(['13800000001', '+8613800000001', '8613800000001', '008613800000001', '013800000001', '138-0000-0001'])(
    'finds the known caller from ANI %s',
    (ani) => {
      const card = CustomerCard.parse(cards.cardByPhone(ani, now, hotline));
      expect(card.kind).toBe('known');
      expect(card.customer?.id).toBe('c-1');
      expect(card.phoneMasked).toBe('138****0001');
      expect(card.customer?.idNumberMasked).toMatch(/^1101\*+0001$/);
      expect(card.assessment).toMatchObject({ modelVersion: 'test-model-1', stage: 'D', warningLevel: 'red' });
      // Expired offers are left out.
      expect(card.offers.map((o) => o.offerId)).toEqual(['o-1']);
      expect(card.offers[0]?.script.en.opening).toBe('Hello Customer 1');
    },
  );

  it('assesses a known customer without a synced score locally', () => {
    const card = cards.cardByPhone('13800000002', now, hotline);
    expect(card.kind).toBe('known');
    expect(card.assessment.modelVersion).toMatch(/^unscored · lifecycle-/);
    expect(card.assessment).toMatchObject({ valueTier: null, clv: null, churnProbability: null, warningLevel: 'none' });
  });

  it.each([
    ['an unknown mobile', '13999999999', '139****9999'],
    ['a landline', '01088886666', '010****6666'],
    ['a withheld number', '', ''],
    ['garbage', 'anonymous', 'ano****mous'],
  ])('gives a prospect card, never an error, for %s', (_name, ani, masked) => {
    const card = CustomerCard.parse(cards.cardByPhone(ani, now, hotline));
    expect(card).toMatchObject({ kind: 'prospect', customer: null, phoneMasked: masked });
    expect(card.assessment.stage).toBe('prospect');
    expect(card.recentOutcomes).toEqual([]);
  });

  it('shows recent outcomes, newest first, including pending ones with their sync state', () => {
    const outbox = createOutbox(db);
    const ids = [0, 1, 2, 3, 4, 5].map((i) => outbox.record(makeDraft({ note: `call ${i}` }), 'agent-1', new Date(now.getTime() - (6 - i) * 60_000)).outcomeId);
    outbox.applyResults({ results: [{ outcomeId: ids[4] ?? '', status: 'accepted' }], lastAppliedClientSeq: 5 }, now);
    const card = cards.cardByPhone('+86 138 0000 0001', now, hotline);
    expect(card.recentOutcomes.map((o) => o.note)).toEqual(['call 5', 'call 4', 'call 3', 'call 2', 'call 1']);
    expect(card.recentOutcomes.map((o) => o.syncState)).toEqual(['pending', 'synced', 'pending', 'pending', 'pending']);
  });

  it('shows outcomes recorded for a prospect number on its prospect card', () => {
    const outbox = createOutbox(db);
    outbox.record(makeDraft({ customerId: null, phone: '13999999999', result: 'not_presented', offerId: null }), 'a', now);
    const card = cards.cardByPhone('+8613999999999', now, hotline);
    expect(card.kind).toBe('prospect');
    expect(card.recentOutcomes).toHaveLength(1);
  });

  it('sees offer and offer-stats changes after invalidate(touched), and keeps them until then', () => {
    const before = cards.cardByPhone('13800000001', now, hotline).offers[0]?.pAccept;
    apply(page([tombstone(6, 'offer', 'o-1', 2), upsertOffer(7, makeOffer('o-3', { name: { zh: '新', en: 'New' } }))]));
    expect(cards.cardByPhone('13800000001', now, hotline).offers.map((o) => o.offerId)).toEqual(['o-1']);
    cards.invalidate(new Set(['offer']));
    expect(cards.cardByPhone('13800000001', now, hotline).offers.map((o) => o.offerId)).toEqual(['o-3']);

    // o-3 has the prior 3/(3+7) = 0.3; 100 presentations with 90 acceptances in segment D/gold lift it.
    apply(page([upsertOfferStats(8, makeOfferStats('o-3', { 'D/gold': { presented: 100, accepted: 90 } }))]));
    expect(cards.cardByPhone('13800000001', now, hotline).offers[0]?.pAccept).toBeCloseTo(before ?? 0.3, 6);
    cards.invalidate(new Set(['offer_stats']));
    expect(cards.cardByPhone('13800000001', now, hotline).offers[0]?.pAccept).toBeCloseTo(93 / 110, 6);
  });

  it('holds back an offer presented within its cooldown, from the synced contact history', () => {
    const contact = (offerId: string, at: string) => ({
      outcomeId: `out-${offerId}`,
      offerId,
      result: 'declined' as const,
      channel: 'store' as const,
      agentId: 'agent-7',
      at,
    });
    apply(page([upsertContactHistory(6, makeContactHistory('c-1', [contact('o-1', daysAgo(3))]))]));
    const card = CustomerCard.parse(cards.cardByPhone('13800000001', now, hotline));
    expect(card.offers.map((o) => o.offerId)).toEqual([]);
    expect(card.suppressed).toEqual([
      { offerId: 'o-1', name: makeOffer('o-1').name, reason: { code: 'contact_cooldown', params: { days: 3, cooldownDays: 30 } } },
    ]);

    // Past the 30-day cooldown the offer is back.
    apply(page([upsertContactHistory(7, makeContactHistory('c-1', [contact('o-1', daysAgo(31))], { version: 2 }))]));
    expect(cards.cardByPhone('13800000001', now, hotline).offers.map((o) => o.offerId)).toEqual(['o-1']);
  });

  it('never offers a do-not-disturb customer anything on an outbound call', () => {
    apply(page([upsertCustomer(6, makeCustomer(1, { version: 2, doNotDisturb: true }))]));
    expect(cards.cardByPhone('13800000001', now, hotline).offers.map((o) => o.offerId)).toEqual(['o-1']);
    const outbound = cards.cardByPhone('13800000001', now, { channel: 'outbound', callId: null });
    expect(outbound.offers).toEqual([]);
    expect(outbound.suppressed.map((s) => s.reason.code)).toEqual(['do_not_disturb']);
  });

  it('builds the card of a cached customer by id, the same card as by phone; null for an unknown id', () => {
    const byId = CustomerCard.parse(cards.cardByCustomer('c-1', now, hotline));
    expect(byId).toEqual(cards.cardByPhone('13800000001', now, hotline));
    expect(byId.phoneMasked).toBe('138****0001');
    expect(cards.cardByCustomer('c-404', now, hotline)).toBeNull();
  });

  it('seeds exploration with the call id, else with who and the day', () => {
    expect(cards.readRows('13800000001', now, hotline).explorationSeed).toBe('call-1');
    expect(cards.readRows('13800000001', now, { channel: 'store', callId: null }).explorationSeed).toBe('c-1:2025-06-01');
    expect(explorationSeed(null, '13999999999', now)).toBe('13999999999:2025-06-01');
  });
});
