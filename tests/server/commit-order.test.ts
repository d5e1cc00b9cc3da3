// Writers of the change log and of the outcome log no longer wait for each other, and a reader's
// cursor still never passes a seq whose transaction may yet commit (server/db/commit-order.ts).
// Only a server with several connections can show it: PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { OUTCOME_LOG, announceWriter } from '../../server/db/commit-order';
import { listOutcomes } from '../../server/outcomes/list-outcomes';
import { recordOutcomeBatch } from '../../server/outcomes/record-batch';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { upsertCustomers } from '../../server/sync/change-log';
import { readChangesPage } from '../../server/sync/changes-page';
import { readSnapshotPageJson } from '../../server/sync/snapshot-page';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';
import { outcomeItem, startTestApi } from './support/test-api';

/** A transaction that has written and waits for release() to commit. */
function heldTransaction(api: CentralApi, write: Parameters<CentralApi['db']['transaction']>[0]) {
  let release!: () => void;
  const mayCommit = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = api.db.transaction(async (tx) => {
    await write(tx);
    wrote();
    await mayCommit;
  });
  return { written, release, done };
}

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'commit order without a global lock (PostgreSQL)' : POSTGRES_SKIP_REASON, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let api: CentralApi;

  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    api = await startTestApi({ databaseUrl: scratch.url, seedCustomers: 20 });
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.drop();
  });

  it('lets a later change-log writer commit at once, and holds the feed back until the earlier one commits', async () => {
    const before = (await readChangesPage(api.db, 0, 5000)).nextCursor;
    const first = heldTransaction(api, (tx) => upsertCustomers(tx, [{ ...generateDemoCustomer(3), name: '先写' }]));
    await first.written;
    // Committed while the first writer is still open: it did not wait.
    await api.db.transaction((tx) => upsertCustomers(tx, [{ ...generateDemoCustomer(4), name: '后写' }]));
    expect((await readChangesPage(api.db, before, 100)).changes).toEqual([]);
    // A desk bootstrapping now starts its feed below the open writer's seq, not at the newest visible one.
    const snapshot = JSON.parse((await readSnapshotPageJson(api.db, 'customer', '', 1, 'full')).toString()) as { safeCursor: number };
    expect(snapshot.safeCursor).toBeLessThanOrEqual(before + 1);

    first.release();
    await first.done;
    const page = await readChangesPage(api.db, before, 100);
    expect(page.changes.map((c) => c.id)).toEqual(['CUS0000004', 'CUS0000005']);
    expect(page.changes[1]!.seq).toBeGreaterThan(page.changes[0]!.seq);
  });

  it('lets outcome batches of other desks commit meanwhile, and GET /outcomes never passes the batch still open', async () => {
    const before = (await listOutcomes(api.db, 0, 10_000)).nextCursor;
    const held = outcomeItem('desk-held', 1, { result: 'not_presented', offerId: null }, 'agent01');
    const first = heldTransaction(api, async (tx) => {
      await announceWriter(tx, OUTCOME_LOG);
      await tx.query(
        `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
         VALUES ($1, 'desk-held', 1, 'agent01', NULL, NULL, 'not_presented', 'hotline', $2, $3::jsonb)`,
        [held.outcomeId, held.recordedAt, JSON.stringify(held)],
      );
    });
    await first.written;
    const other = outcomeItem('desk-other', 1, { result: 'not_presented', offerId: null }, 'agent02');
    const answer = await recordOutcomeBatch(api.db, { deviceId: 'desk-other', items: [other] }, 'agent02');
    expect(answer.results.map((r) => r.status)).toEqual(['accepted']);
    expect((await listOutcomes(api.db, before, 100)).outcomes).toEqual([]);

    first.release();
    await first.done;
    expect((await listOutcomes(api.db, before, 100)).outcomes.map((o) => o.outcomeId)).toEqual([held.outcomeId, other.outcomeId]);
  });

  it('stores an outcome once, and counts it once, when its batch is sent twice at the same time', async () => {
    const presented = async () =>
      (
        await api.db.query<{ n: number | null }>(
          `SELECT (data->'segments'->'*'->>'presented')::int AS n FROM offer_stats WHERE offer_id = 'OFF-D-RETENTION-DISCOUNT'`,
        )
      )[0]?.n ?? 0;
    const presentedBefore = await presented();
    const items = [outcomeItem('desk-twice', 1, {}, 'agent03'), outcomeItem('desk-twice', 2, { result: 'declined' }, 'agent03')];
    const answers = await Promise.all([1, 2].map(() => recordOutcomeBatch(api.db, { deviceId: 'desk-twice', items }, 'agent03')));
    const statuses = answers.map((a) => a.results.map((r) => r.status).join(','));
    expect(statuses.sort()).toEqual(['accepted,accepted', 'duplicate,duplicate']);
    const stored = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outcomes WHERE device_id = 'desk-twice'`);
    expect(stored[0]!.n).toBe(2);
    expect(await presented()).toBe(presentedBefore + 2);
  });
});
