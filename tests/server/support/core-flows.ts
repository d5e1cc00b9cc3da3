// The flows that must hold on both drivers: migrations, sync paging, outcome dedupe. Each
// function registers its tests inside the caller's describe, against the API `getApi` returns.
import { expect, it } from 'vitest';
import { SyncChangesResponse, OutcomeBatchResponse, type SyncChange } from '../../../shared/contract/central-api';
import { maskIdNumber } from '../../../shared/domain/masking';
import type { CentralApi } from '../../../server/app';
import { runMigrations, UnknownMigrationError } from '../../../server/db/migrate';
import { MIGRATIONS } from '../../../server/db/migrations';
import { DEMO_OFFERS } from '../../../server/seed/demo-offers';
import { generateDemoCustomer } from '../../../server/seed/demo-customers';
import { deleteSyncedRow, upsertCustomers } from '../../../server/sync/change-log';
import { bearer, login, outcomeItem } from './test-api';

export async function pullPage(api: CentralApi, token: string, after: number, limit: number) {
  const response = await api.app.inject({ method: 'GET', url: `/sync/changes?after=${after}&limit=${limit}`, headers: bearer(token) });
  expect(response.statusCode, response.body).toBe(200);
  return SyncChangesResponse.parse(response.json());
}

/** Pulls until hasMore is false, checking the cursor only grows; returns every change and the final cursor. */
export async function pullAll(api: CentralApi, token: string, after: number, limit: number) {
  const changes: SyncChange[] = [];
  let cursor = after;
  for (;;) {
    const page = await pullPage(api, token, cursor, limit);
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    expect(page.nextCursor).toBeGreaterThanOrEqual(cursor);
    for (const change of page.changes) expect(change.seq).toBeGreaterThan(changes.at(-1)?.seq ?? cursor);
    changes.push(...page.changes);
    cursor = page.nextCursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

export function migrationFlows(getApi: () => CentralApi) {
  it('has applied every known migration, and a second run applies nothing', async () => {
    const { db } = getApi();
    const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await runMigrations(db)).toEqual([]);
  });

  it('refuses to start on a database that holds a migration this build does not know', async () => {
    const { db } = getApi();
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES (9999, 'from-the-future')`);
    try {
      await expect(runMigrations(db)).rejects.toThrow(UnknownMigrationError);
      await expect(runMigrations(db)).rejects.toThrow(/9999/);
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 9999');
    }
  });
}

export function syncFlows(getApi: () => CentralApi, customers: number) {
  let cursorAfterFirstPull = 0;

  it('walks every change exactly once with a small page size, the cursor only growing', async () => {
    const api = getApi();
    const token = await login(api.app, 'agent01');
    const { changes, cursor } = await pullAll(api, token, 0, 37);

    const keys = changes.map((c) => `${c.entity}:${c.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(changes.filter((c) => c.entity === 'customer')).toHaveLength(customers);
    expect(changes.filter((c) => c.entity === 'score')).toHaveLength(customers);
    expect(changes.filter((c) => c.entity === 'offer')).toHaveLength(DEMO_OFFERS.length);
    expect(cursor).toBe(changes.at(-1)?.seq);

    const first = changes.find((c) => c.entity === 'customer' && c.id === 'CUS0000001');
    // An agent is served ID numbers masked (server/http/id-number-masking.ts).
    const generated = generateDemoCustomer(0);
    expect(first).toMatchObject({ op: 'upsert', version: 1, data: { ...generated, idNumber: maskIdNumber(generated.idNumber) } });

    const empty = await pullPage(api, token, cursor, 37);
    expect(empty).toEqual({ changes: [], nextCursor: cursor, hasMore: false });
    cursorAfterFirstPull = cursor;
  });

  it('delivers an update made after the pull in the next page, with a higher version', async () => {
    const api = getApi();
    const token = await login(api.app, 'store01');
    const renamed = { ...generateDemoCustomer(1), name: '改名测试' };
    await api.db.transaction((tx) => upsertCustomers(tx, [renamed]));

    const page = await pullPage(api, token, cursorAfterFirstPull, 100);
    expect(page.changes).toHaveLength(1);
    const [change] = page.changes;
    expect(change).toMatchObject({ entity: 'customer', id: renamed.id, op: 'upsert', version: 2, data: { name: '改名测试', version: 2 } });
    expect(change!.seq).toBeGreaterThan(cursorAfterFirstPull);
    cursorAfterFirstPull = page.nextCursor;
  });

  it('sends a deleted customer (and its score) as delete tombstones without data', async () => {
    const api = getApi();
    const token = await login(api.app, 'sup01');
    await api.db.transaction((tx) => deleteSyncedRow(tx, 'customer', 'CUS0000003'));

    const page = await pullPage(api, token, cursorAfterFirstPull, 100);
    expect(page.changes).toEqual([
      { seq: expect.any(Number), entity: 'customer', id: 'CUS0000003', op: 'delete', version: 2 },
      { seq: expect.any(Number), entity: 'score', id: 'CUS0000003', op: 'delete', version: 2 },
    ]);
    // The phone is released with the row's personal data.
    const [row] = await api.db.query<{ phone: string | null; deleted: boolean }>(`SELECT phone, deleted FROM customers WHERE id = 'CUS0000003'`);
    expect(row).toEqual({ phone: null, deleted: true });
  });
}

export function outcomeDedupeFlows(getApi: () => CentralApi) {
  it('accepts a batch, reports a resend as duplicate, and stores each outcome once', async () => {
    const api = getApi();
    const token = await login(api.app, 'agent02');
    const deviceId = `desk-dedupe-${Date.now()}`;
    const items = [
      outcomeItem(deviceId, 1, {}, 'agent02'),
      outcomeItem(deviceId, 2, {}, 'agent02'),
      outcomeItem(deviceId, 3, { result: 'not_presented', offerId: null }, 'agent02'),
    ];
    const send = async () => {
      const response = await api.app.inject({ method: 'POST', url: '/outcomes/batch', headers: bearer(token), payload: { deviceId, items } });
      expect(response.statusCode, response.body).toBe(200);
      return OutcomeBatchResponse.parse(response.json());
    };

    const first = await send();
    expect(first.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(first.lastAppliedClientSeq).toBe(3);

    const again = await send();
    expect(again.results).toEqual(items.map((i) => ({ outcomeId: i.outcomeId, status: 'duplicate' })));
    expect(again.lastAppliedClientSeq).toBe(3);

    const stored = await api.db.query<{ outcome_id: string; n: number }>(
      `SELECT outcome_id::text, count(*) AS n FROM outcomes WHERE device_id = $1 GROUP BY outcome_id`,
      [deviceId],
    );
    expect(stored.map((r) => r.n)).toEqual([1, 1, 1]);
    const [device] = await api.db.query<{ last_applied_client_seq: number }>('SELECT last_applied_client_seq FROM devices WHERE device_id = $1', [deviceId]);
    expect(device?.last_applied_client_seq).toBe(3);
  });
}
