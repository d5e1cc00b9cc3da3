import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerCard } from '../../shared/contract/desk-api';
import { createCardQuery, type CardQuery } from '../../db/cache/card-query';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/sync/apply-changes';
import { createOutbox } from '../../db/sync/outbox';
import { makeCustomer, makeDraft, makeOffer, makeScore, page, tombstone, upsertCustomer, upsertOffer, upsertScore } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const temp = useTempDir();
const now = new Date('2025-06-01T10:00:00Z');

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
      const card = CustomerCard.parse(cards.cardByPhone(ani, now));
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
    const card = cards.cardByPhone('13800000002', now);
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
    const card = CustomerCard.parse(cards.cardByPhone(ani, now));
    expect(card).toMatchObject({ kind: 'prospect', customer: null, phoneMasked: masked });
    expect(card.assessment.stage).toBe('prospect');
    expect(card.recentOutcomes).toEqual([]);
  });

  it('shows recent outcomes, newest first, including pending ones with their sync state', () => {
    const outbox = createOutbox(db);
    const ids = [0, 1, 2, 3, 4, 5].map(
      (i) => outbox.record(makeDraft({ note: `call ${i}` }), 'agent-1', new Date(now.getTime() - (6 - i) * 60_000)).outcomeId,
    );
    outbox.applyResults({ results: [{ outcomeId: ids[4] ?? '', status: 'accepted' }], lastAppliedClientSeq: 5 }, now);
    const card = cards.cardByPhone('+86 138 0000 0001', now);
    expect(card.recentOutcomes.map((o) => o.note)).toEqual(['call 5', 'call 4', 'call 3', 'call 2', 'call 1']);
    expect(card.recentOutcomes.map((o) => o.syncState)).toEqual(['pending', 'synced', 'pending', 'pending', 'pending']);
  });

  it('shows outcomes recorded for a prospect number on its prospect card', () => {
    const outbox = createOutbox(db);
    outbox.record(makeDraft({ customerId: null, phone: '13999999999', result: 'not_presented', offerId: null }), 'a', now);
    const card = cards.cardByPhone('+8613999999999', now);
    expect(card.kind).toBe('prospect');
    expect(card.recentOutcomes).toHaveLength(1);
  });

  it('sees offer changes after invalidateOffers()', () => {
    apply(page([tombstone(6, 'offer', 'o-1', 2), upsertOffer(7, makeOffer('o-3', { name: { zh: '新', en: 'New' } }))]));
    cards.invalidateOffers();
    expect(cards.cardByPhone('13800000001', now).offers.map((o) => o.offerId)).toEqual(['o-3']);
  });
});
