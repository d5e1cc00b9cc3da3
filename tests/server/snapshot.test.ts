// The bootstrap snapshot: pages walk one table's live rows exactly once in key order, carry the
// highest committed seq, serve the stored documents, and mask ID numbers by role like the feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncSnapshotResponse } from '../../shared/contract/central-api';
import { Customer } from '../../shared/contract/entities';
import { runMigrations } from '../../server/db/migrate';
import { openSqlClient } from '../../server/db/open-sql-client';
import type { SqlClient } from '../../server/db/sql-client';
import { seedDemoData } from '../../server/seed/seed-database';
import { deleteSyncedRow } from '../../server/sync/change-log';
import { readSnapshotPageJson } from '../../server/sync/snapshot-page';

const NOW = new Date('2026-11-20T08:00:00Z');
const BOOK = 120;

describe('sync snapshot pages', () => {
  let db: SqlClient;
  const page = async (entity: 'customer' | 'score' | 'offer', afterKey: string, limit: number, view: 'full' | 'masked' = 'full') =>
    SyncSnapshotResponse.parse(JSON.parse((await readSnapshotPageJson(db, entity, afterKey, limit, view)).toString()));
  const maxSeq = async () =>
    (
      await db.query<{ m: number }>(
        'SELECT GREATEST((SELECT max(change_seq) FROM customers), (SELECT max(change_seq) FROM scores), (SELECT max(change_seq) FROM offers)) AS m',
      )
    )[0]!.m;

  beforeAll(async () => {
    ({ db } = await openSqlClient({}));
    await runMigrations(db);
    await seedDemoData(db, { customers: BOOK, now: NOW });
    await db.transaction((tx) => deleteSyncedRow(tx, 'customer', 'CUS0000005'));
  });
  afterAll(async () => db.close());

  it('walks every live customer exactly once, in key order, without tombstones', async () => {
    const seen: string[] = [];
    let afterKey = '';
    for (let more = true; more;) {
      const p = await page('customer', afterKey, 50);
      seen.push(...p.rows.map(([id]) => id));
      ({ nextKey: afterKey, hasMore: more } = p);
    }
    expect(seen).toHaveLength(BOOK - 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    expect(seen).not.toContain('CUS0000005');
  });

  it('serves the stored, valid documents with their versions and the highest committed seq', async () => {
    const p = await page('customer', '', 10);
    expect(p.safeCursor).toBe(await maxSeq());
    const [id, version, text] = p.rows[0]!;
    const customer = Customer.parse(JSON.parse(text));
    expect(customer.id).toBe(id);
    expect(customer.version).toBe(version);
    expect(customer.idNumber).toMatch(/^\d{17}[\dX]$/);
  });

  it('masks ID numbers for roles that may not see them, keeping the document valid', async () => {
    const p = await page('customer', '', 5, 'masked');
    for (const [, , text] of p.rows) {
      const customer = Customer.parse(JSON.parse(text));
      expect(customer.idNumber).toContain('*');
    }
  });

  it('answers an exhausted range with no rows, the same key and the safe cursor', async () => {
    const p = await page('offer', 'ZZZZ', 10);
    expect(p).toMatchObject({ rows: [], nextKey: 'ZZZZ', hasMore: false, safeCursor: await maxSeq() });
  });
});
