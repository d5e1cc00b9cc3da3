// Bootstrap of a new desk from the central API's snapshot pages (real server code on PGlite,
// real cache file): complete, resumable after an interruption, correct when the book changes
// while the pages are read, and refusing a page whose documents do not match their rows.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SyncSnapshotResponse } from '../../shared/contract/central-api';
import type { Customer, SyncEntity } from '../../shared/contract/entities';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { createSnapshotBootstrap, type FetchSnapshotPage } from '../../db/replica/snapshot-bootstrap';
import { createSyncStateStore } from '../../db/replica/sync-state';
import { runMigrations } from '../../server/db/migrate';
import { openSqlClient } from '../../server/db/open-sql-client';
import type { SqlClient } from '../../server/db/sql-client';
import { seedDemoData } from '../../server/seed/seed-database';
import { deleteSyncedRow, upsertCustomers } from '../../server/sync/change-log';
import { readChangesPage } from '../../server/sync/changes-page';
import { readSnapshotPageJson } from '../../server/sync/snapshot-page';
import { useTempDir } from './support/temp-dir';

const NOW = new Date('2026-11-20T08:00:00Z');
const BOOK = 150;
const PAGE = 40;
const temp = useTempDir();

describe('snapshot bootstrap', () => {
  let server: SqlClient;
  let db: CacheDb;
  const asked: { entity: SyncEntity; afterKey: string }[] = [];
  const fetchPage: FetchSnapshotPage = async (entity, afterKey, limit) => {
    asked.push({ entity, afterKey });
    return SyncSnapshotResponse.parse(JSON.parse((await readSnapshotPageJson(server, entity, afterKey, limit, 'full')).toString()));
  };
  const cacheIds = (table: string, key: string) => db.prepare(`SELECT ${key} FROM ${table} ORDER BY ${key}`).pluck().all() as string[];
  const serverIds = async (table: string, key: string) =>
    (await server.query<{ id: string }>(`SELECT ${key} AS id FROM ${table} WHERE NOT deleted ORDER BY ${key}`)).map((r) => r.id);
  const serverMaxSeq = async () =>
    (
      await server.query<{ m: number }>(
        `SELECT GREATEST((SELECT max(change_seq) FROM customers), (SELECT max(change_seq) FROM scores), (SELECT max(change_seq) FROM offers), (SELECT coalesce(max(change_seq), 0) FROM offer_stats), (SELECT coalesce(max(change_seq), 0) FROM contact_history)) AS m`,
      )
    )[0]!.m;
  /** The ordinary feed after the bootstrap, until caught up. */
  const pullFeed = async () => {
    const apply = createChangeApplier(db);
    const state = createSyncStateStore(db);
    for (let more = true; more;) {
      const page = await readChangesPage(server, state.cursor(), 500);
      apply(page);
      more = page.hasMore;
    }
  };
  const expectCacheEqualsServer = async () => {
    for (const [table, key] of [
      ['customers', 'id'],
      ['scores', 'customer_id'],
      ['offers', 'id'],
    ] as const) {
      expect(cacheIds(table, key)).toEqual(await serverIds(table, key));
    }
    const versions = db.prepare('SELECT id, version FROM customers ORDER BY id').all();
    const serverVersions = await server.query('SELECT id, version FROM customers WHERE NOT deleted ORDER BY id');
    expect(versions).toEqual(serverVersions);
  };

  beforeAll(async () => {
    ({ db: server } = await openSqlClient({}));
    await runMigrations(server);
    await seedDemoData(server, { customers: BOOK, now: NOW });
    // The catalogue is published by the API at start; this test seeds the database directly.
    const { loadOfferCatalog } = await import('../../server/catalog/load-catalog');
    const { publishCatalog } = await import('../../server/catalog/publish-catalog');
    await publishCatalog(server, loadOfferCatalog().offers);
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    db = openCache(temp.path());
    asked.length = 0;
  });
  afterEach(() => db.close());

  it('fills an empty cache with every live row and leaves the cursor at the safe cursor', async () => {
    const bootstrap = createSnapshotBootstrap(db, PAGE);
    expect(bootstrap.needed()).toBe(true);
    await bootstrap.run(fetchPage);
    await expectCacheEqualsServer();
    expect(createSyncStateStore(db).cursor()).toBe(await serverMaxSeq());
    expect(bootstrap.needed()).toBe(false);
    // The fuzzy-name index is built in one go at the end: every customer has its keys.
    const withoutKeys = db.prepare('SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM name_keys k WHERE k.customer_id = c.id)').pluck().get();
    expect(withoutKeys).toBe(0);
    const stored = JSON.parse(db.prepare('SELECT data FROM customers ORDER BY id LIMIT 1').pluck().get() as string) as Customer;
    expect(stored.phone).toBe(db.prepare('SELECT phone FROM customers ORDER BY id LIMIT 1').pluck().get());
  });

  it('resumes after an interruption from the last committed page, not from the start', async () => {
    let pages = 0;
    const failing: FetchSnapshotPage = async (...args) => {
      if (++pages === 5) throw new Error('connection reset'); // offers, offer stats, then customer pages
      return fetchPage(...args);
    };
    await expect(createSnapshotBootstrap(db, PAGE).run(failing)).rejects.toThrow('connection reset');
    const committed = cacheIds('customers', 'id');
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length).toBeLessThan(BOOK);
    asked.length = 0;

    const bootstrap = createSnapshotBootstrap(db, PAGE);
    expect(bootstrap.needed()).toBe(true);
    await bootstrap.run(fetchPage);
    expect(asked[0]).toEqual({ entity: 'customer', afterKey: committed.at(-1) });
    await expectCacheEqualsServer();
  });

  it('commits a page slice by slice, giving way before each, and resumes from the last committed slice', async () => {
    const cachedCustomers = () => db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    // Offers (one slice), offer stats (none, one empty slice), then the first customer page of 40 in slices of 15.
    const seenWhenGivingWay: number[] = [];
    const stopAtFifth = async () => {
      seenWhenGivingWay.push(cachedCustomers());
      if (seenWhenGivingWay.length === 5) throw new Error('desk closed mid-page');
    };
    await expect(createSnapshotBootstrap(db, PAGE, 15).run(fetchPage, undefined, stopAtFifth)).rejects.toThrow('desk closed mid-page');
    // Each slice was committed before the download gave way again: the page went in 15 rows at a time.
    expect(seenWhenGivingWay).toEqual([0, 0, 0, 15, 30]);
    const committed = cacheIds('customers', 'id');
    expect(committed).toHaveLength(30);

    asked.length = 0;
    const bootstrap = createSnapshotBootstrap(db, PAGE, 15);
    expect(bootstrap.needed()).toBe(true);
    await bootstrap.run(fetchPage);
    expect(asked[0]).toEqual({ entity: 'customer', afterKey: committed.at(-1) });
    await expectCacheEqualsServer();
    expect(createSyncStateStore(db).cursor()).toBe(await serverMaxSeq());
  });

  it('builds the name keys and hands the cursor over in a step of its own, which a desk killed just before it takes on resuming', async () => {
    let turns = 0;
    await createSnapshotBootstrap(db, PAGE).run(fetchPage, undefined, async () => {
      turns += 1;
    });
    const interrupted = openCache(temp.path());
    try {
      let turn = 0;
      const stopBeforeTheLastStep = async () => {
        if (++turn === turns) throw new Error('desk closed');
      };
      await expect(createSnapshotBootstrap(interrupted, PAGE).run(fetchPage, undefined, stopBeforeTheLastStep)).rejects.toThrow('desk closed');
      const count = (table: string) => interrupted.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      // Every row and pinyin key is in; the fuzzy-name index and the cursor are not.
      expect(count('customers')).toBe(db.prepare('SELECT count(*) FROM customers').pluck().get());
      expect(interrupted.prepare('SELECT count(*) FROM customer_pinyin WHERE full IS NULL').pluck().get()).toBe(0);
      expect(count('name_keys')).toBe(0);
      expect(createSyncStateStore(interrupted).cursor()).toBe(0);

      asked.length = 0;
      const resumed = createSnapshotBootstrap(interrupted, PAGE);
      expect(resumed.needed()).toBe(true);
      await resumed.run(fetchPage);
      expect(asked.map((page) => page.entity)).toEqual(['usage']);
      expect(count('name_keys')).toBe(db.prepare('SELECT count(*) FROM name_keys').pluck().get());
      expect(createSyncStateStore(interrupted).cursor()).toBe(await serverMaxSeq());
    } finally {
      interrupted.close();
    }
  });

  it('converges with the server when the book changes while the pages are read', async () => {
    let pages = 0;
    const changing: FetchSnapshotPage = async (...args) => {
      const page = await fetchPage(...args);
      if (++pages === 2) {
        // A customer already fetched changes; one not fetched yet is deleted; a number moves to another customer.
        const [first, late, donor, taker] = (await server.query<{ data: Customer }>('SELECT data FROM customers WHERE NOT deleted ORDER BY id'))
          .map((r) => r.data)
          .filter((_, i) => [0, 120, 1, 130].includes(i));
        await server.transaction(async (tx) => {
          await upsertCustomers(tx, [
            { ...first!, name: '改名客户' },
            { ...donor!, phone: '19900000001' },
          ]);
          await upsertCustomers(tx, [{ ...taker!, phone: donor!.phone }]);
          await deleteSyncedRow(tx, 'customer', late!.id);
        });
      }
      return page;
    };
    await createSnapshotBootstrap(db, PAGE).run(changing);
    await pullFeed();
    await expectCacheEqualsServer();
  });

  it('refuses a page whose document does not match its row, writing nothing of it', async () => {
    const tampered: FetchSnapshotPage = async (...args) => {
      const page = await fetchPage(...args);
      if (page.entity !== 'customer') return page;
      const [id, version, text] = page.rows[1]!;
      return { ...page, rows: [page.rows[0]!, [id, version + 1, text], ...page.rows.slice(2)] };
    };
    await expect(createSnapshotBootstrap(db, PAGE).run(tampered)).rejects.toThrow(/not a valid document of that key and version/);
    expect(cacheIds('customers', 'id')).toEqual([]);
    expect(createSyncStateStore(db).cursor()).toBe(0);
  });
});
