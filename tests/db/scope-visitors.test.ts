// A customer cached as a visitor after a miss who then comes through the feed or the snapshot download
// has entered the desk's cache scope: the operator's day ending must not drop them (the feed, already
// past them, would not send them again).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { createScopeCache, endOfOperatorDay, type ScopeCache } from '../../db/replica/scope-cache';
import { createSnapshotBootstrap, type FetchSnapshotPage } from '../../db/replica/snapshot-bootstrap';
import { makeCustomer, page, upsertCustomer } from './support/fixtures';
import { useTempDir } from './support/temp-dir';

const NOW = new Date('2026-11-20T08:00:00Z');
const temp = useTempDir();

describe('a visitor who enters the cache scope', () => {
  let db: CacheDb;
  let scope: ScopeCache;
  const visitor = makeCustomer(7, { version: 3 });

  beforeEach(() => {
    db = openCache(temp.path());
    scope = createScopeCache(db);
  });
  afterEach(() => db.close());

  it('stays cached after the day ends when the feed brings them at the version already held', () => {
    scope.record('regions:SZ');
    createChangeApplier(db)(page([upsertCustomer(1, makeCustomer(1))]));
    scope.keepVisitor([{ entity: 'customer', data: visitor }], endOfOperatorDay(NOW));

    createChangeApplier(db)(page([upsertCustomer(2, visitor)], { after: 1 }));

    expect(scope.dropExpiredVisitors(endOfOperatorDay(NOW))).toBe(0);
    expect(scope.holdsPhone(visitor.phone)).toBe(true);
  });

  it('stays cached after the day ends when the snapshot download brings them', async () => {
    // Cached through a miss while the first download is under way.
    scope.keepVisitor([{ entity: 'customer', data: visitor }], endOfOperatorDay(NOW));
    const fetchPage: FetchSnapshotPage = async (entity) => ({
      entity,
      safeCursor: 5,
      rows: entity === 'customer' ? [[visitor.id, visitor.version, JSON.stringify(visitor)]] : [],
      nextKey: entity === 'customer' ? visitor.id : '',
      hasMore: false,
      scope: 'regions:SZ',
    });
    await createSnapshotBootstrap(db).run(fetchPage);

    expect(scope.dropExpiredVisitors(endOfOperatorDay(NOW))).toBe(0);
    expect(scope.holdsPhone(visitor.phone)).toBe(true);
  });

  it('still leaves at the day’s end when the feed never brings them', () => {
    scope.record('regions:SZ');
    createChangeApplier(db)(page([upsertCustomer(1, makeCustomer(1))]));
    scope.keepVisitor([{ entity: 'customer', data: visitor }], endOfOperatorDay(NOW));

    expect(scope.dropExpiredVisitors(endOfOperatorDay(NOW))).toBe(1);
    expect(scope.holdsPhone(visitor.phone)).toBe(false);
  });
});
