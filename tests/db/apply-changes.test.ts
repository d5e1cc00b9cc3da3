import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncChange, SyncChangesResponse } from '../../shared/contract/central-api';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { createSyncStateStore } from '../../db/replica/sync-state';
import {
  makeContactHistory,
  makeCustomer,
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

describe('applying a sync page', () => {
  let db: CacheDb;
  let apply: ReturnType<typeof createChangeApplier>;
  const cursor = () => createSyncStateStore(db).cursor();
  const customer = (id: string) =>
    db.prepare<[string], { version: number; phone: string; name: string; data: string }>('SELECT * FROM customers WHERE id = ?').get(id);

  beforeEach(() => {
    db = openCache(temp.path());
    apply = createChangeApplier(db);
  });
  afterEach(() => db.close());

  it('inserts rows of every entity and moves the cursor to nextCursor', () => {
    const result = apply(page([upsertCustomer(1, makeCustomer(1)), upsertScore(2, makeScore('c-1')), upsertOffer(3, makeOffer('o-1'))]));
    expect(result).toMatchObject({ applied: 3, skipped: 0, deleted: 0, cursor: 3 });
    expect([...result.touched].sort()).toEqual(['customer', 'offer', 'score']);
    expect(JSON.parse(customer('c-1')?.data ?? 'null')).toEqual(makeCustomer(1));
    expect(cursor()).toBe(3);
  });

  it('upserts only when the incoming version is higher', () => {
    apply(page([upsertCustomer(1, makeCustomer(1, { version: 2, name: 'Two' }))]));
    const result = apply(
      page([upsertCustomer(2, makeCustomer(1, { version: 1, name: 'One' })), upsertCustomer(3, makeCustomer(1, { version: 2, name: 'Two again' }))]),
    );
    expect(result).toMatchObject({ applied: 0, skipped: 2 });
    expect(customer('c-1')).toMatchObject({ version: 2, name: 'Two' });

    apply(page([upsertCustomer(4, makeCustomer(1, { version: 3, name: 'Three' }))]));
    expect(customer('c-1')).toMatchObject({ version: 3, name: 'Three' });
  });

  it('applies tombstones, but an older replayed tombstone never deletes a re-created row', () => {
    apply(page([upsertOffer(1, makeOffer('o-1')), upsertCustomer(2, makeCustomer(1))]));
    const result = apply(page([tombstone(3, 'offer', 'o-1', 2), tombstone(4, 'customer', 'c-1', 2)]));
    expect(result).toMatchObject({ deleted: 2 });
    expect(db.prepare('SELECT count(*) FROM offers').pluck().get()).toBe(0);
    expect(customer('c-1')).toBeUndefined();

    apply(page([upsertOffer(5, makeOffer('o-1', { version: 3 }))]));
    apply(page([tombstone(3, 'offer', 'o-1', 2)], { after: 2 })); // replayed page
    apply(page([tombstone(6, 'offer', 'o-1', 2)])); // a new seq carrying an outdated version
    expect(db.prepare('SELECT version FROM offers').pluck().get()).toBe(3);
  });

  it('applies offer_stats and contact_history with the same version, tombstone and replay rules', () => {
    const stats = (version: number, presented: number) => makeOfferStats('o-1', { 'D/gold': { presented, accepted: 1 } }, { version });
    const history = (version: number, outcomeId: string) =>
      makeContactHistory('c-1', [{ outcomeId, offerId: 'o-1', result: 'declined', channel: 'hotline', agentId: 'agent-1', at: '2025-05-30T10:00:00Z' }], {
        version,
      });
    const row = (table: string, key: string) =>
      db.prepare<[], { version: number; data: string }>(`SELECT version, data FROM ${table} WHERE ${key} = '${table === 'offer_stats' ? 'o-1' : 'c-1'}'`).get();

    const first = apply(page([upsertOfferStats(1, stats(2, 10)), upsertContactHistory(2, history(2, 'out-2'))]));
    expect(first).toMatchObject({ applied: 2, cursor: 2 });
    expect([...first.touched].sort()).toEqual(['contact_history', 'offer_stats']);
    expect(JSON.parse(row('offer_stats', 'offer_id')?.data ?? 'null')).toEqual(stats(2, 10));

    // Older or equal versions are skipped; a newer one wins.
    expect(apply(page([upsertOfferStats(3, stats(1, 99)), upsertContactHistory(4, history(2, 'out-other'))]))).toMatchObject({ applied: 0, skipped: 2 });
    expect(row('contact_history', 'customer_id')).toMatchObject({ version: 2 });
    apply(page([upsertOfferStats(5, stats(3, 11))]));
    expect(JSON.parse(row('offer_stats', 'offer_id')?.data ?? 'null')).toMatchObject({ version: 3, segments: { 'D/gold': { presented: 11 } } });

    // A tombstone removes the row; replaying the page that created it does not bring it back.
    const deletion = page([tombstone(6, 'offer_stats', 'o-1', 4), tombstone(7, 'contact_history', 'c-1', 3)]);
    expect(apply(deletion)).toMatchObject({ deleted: 2 });
    expect(apply(page([upsertOfferStats(1, stats(2, 10)), upsertContactHistory(2, history(2, 'out-2'))], { after: 0 }))).toMatchObject({
      applied: 0,
      skipped: 2,
      cursor: 7,
    });
    expect(row('offer_stats', 'offer_id')).toBeUndefined();
    expect(row('contact_history', 'customer_id')).toBeUndefined();
  });

  it('treats a replayed page as a no-op', () => {
    const first = page([upsertCustomer(1, makeCustomer(1)), upsertOffer(2, makeOffer('o-1')), tombstone(3, 'offer', 'o-1', 2)]);
    apply(first);
    const snapshot = db.prepare('SELECT * FROM customers').all();
    expect(apply(first)).toMatchObject({ applied: 0, deleted: 0, skipped: 3, cursor: 3 });
    expect(db.prepare('SELECT * FROM customers').all()).toEqual(snapshot);
  });

  it('never moves the cursor backwards', () => {
    apply(page([upsertCustomer(10, makeCustomer(1))]));
    expect(apply(page([upsertCustomer(4, makeCustomer(2))])).cursor).toBe(10);
    expect(apply(page([], { after: 0 })).cursor).toBe(10);
    expect(cursor()).toBe(10);
  });

  it('moves a recycled phone number to its new owner', () => {
    apply(page([upsertCustomer(1, makeCustomer(1, { phone: '13900000000' }))]));
    apply(page([upsertCustomer(2, makeCustomer(2, { phone: '13900000000' }))]));
    expect(db.prepare('SELECT id FROM customers WHERE phone = ?').pluck().get('13900000000')).toBe('c-2');
    // A replay of the old owner's row must not take the number back.
    apply(page([upsertCustomer(1, makeCustomer(1, { phone: '13900000000' }))]));
    expect(db.prepare('SELECT id FROM customers WHERE phone = ?').pluck().get('13900000000')).toBe('c-2');
  });

  it('commits a page entirely or not at all', () => {
    apply(page([upsertCustomer(1, makeCustomer(1))]));
    db.exec("CREATE TRIGGER fail_offer BEFORE INSERT ON offers BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    expect(() => apply(page([upsertCustomer(2, makeCustomer(2)), upsertOffer(3, makeOffer('o-1'))]))).toThrow('disk trouble');
    expect(customer('c-2')).toBeUndefined();
    expect(cursor()).toBe(1);
  });

  it('converges to the server state whatever pages are replayed or re-sent (property)', () => {
    // A server log of random writes and deletes on a few ids; the client receives the pages
    // in order but with arbitrary stale replays mixed in.
    const op = fc.record({ entity: fc.constantFrom('customer', 'offer'), n: fc.integer({ min: 1, max: 4 }), del: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (ops, pageSize, replays) => {
          db.exec('DELETE FROM customers; DELETE FROM offers; DELETE FROM sync_state;');
          const versions = new Map<string, number>();
          const log: SyncChange[] = ops.map(({ entity, n, del }, i) => {
            const key = `${entity}:${n}`;
            const version = (versions.get(key) ?? 0) + 1;
            versions.set(key, version);
            const seq = i + 1;
            if (del) return tombstone(seq, entity, entity === 'customer' ? `c-${n}` : `o-${n}`, version);
            return entity === 'customer' ? upsertCustomer(seq, makeCustomer(n, { version })) : upsertOffer(seq, makeOffer(`o-${n}`, { version }));
          });
          const pages: SyncChangesResponse[] = [];
          for (let i = 0; i < log.length; i += pageSize) pages.push(page(log.slice(i, i + pageSize), { hasMore: i + pageSize < log.length }));
          let highest = 0;
          pages.forEach((p, i) => {
            apply(p);
            for (const r of replays) {
              const stale = pages[r % (i + 1)];
              if (stale !== undefined) apply(stale);
            }
            const now = cursor();
            expect(now).toBeGreaterThanOrEqual(highest);
            highest = now;
          });
          const expected = new Map<string, number>();
          for (const change of log) {
            const key = `${change.entity}:${change.id}`;
            if (change.op === 'delete') expected.delete(key);
            else expected.set(key, change.version);
          }
          const actual = new Map<string, number>([
            ...db
              .prepare<[], { id: string; version: number }>('SELECT id, version FROM customers')
              .all()
              .map((r) => [`customer:${r.id}`, r.version] as const),
            ...db
              .prepare<[], { id: string; version: number }>('SELECT id, version FROM offers')
              .all()
              .map((r) => [`offer:${r.id}`, r.version] as const),
          ]);
          expect(actual).toEqual(expected);
          expect(cursor()).toBe(log.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
