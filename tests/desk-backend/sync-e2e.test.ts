// End to end: desk backend + real cache file + in-process central API with injected faults.
// After things settle, the invariants from the sync protocol must hold: every outcome reached the
// server exactly once, the outbox is empty (or dead-lettered), the cursor never went backwards,
// and the cache equals the server's rows at the cursor.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract/desk-api';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer, makeOffer, makeScore } from '../db/support/fixtures';
import { startMockCentralApi, type MirrorRow, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();

function cacheRows(path: string): Map<string, MirrorRow> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = new Map<string, MirrorRow>();
    for (const [entity, table, key] of [
      ['customer', 'customers', 'id'],
      ['score', 'scores', 'customer_id'],
      ['offer', 'offers', 'id'],
    ] as const) {
      for (const row of db.prepare<[], { id: string; version: number; data: string }>(`SELECT ${key} AS id, version, data FROM ${table}`).all()) {
        rows.set(`${entity}:${row.id}`, { version: row.version, data: JSON.parse(row.data) });
      }
    }
    return rows;
  } finally {
    db.close();
  }
}

describe('sync end to end against a faulty central API', () => {
  let mock: MockCentralApi;
  const harnesses: BackendHarness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.backend.close();
    await mock.close();
  });

  it('delivers every outcome exactly once through 500s, lost responses, an outage and a restart, and converges', async () => {
    mock = await startMockCentralApi();
    for (let i = 1; i <= 30; i++) mock.put('customer', makeCustomer(i));
    for (let i = 1; i <= 10; i++) mock.put('score', makeScore(`c-${i}`));
    for (let i = 1; i <= 4; i++) mock.put('offer', makeOffer(`o-${i}`));

    const cachePath = temp.path();
    const open = () => {
      const h = startBackend({ cachePath, apiUrl: mock.url });
      harnesses.push(h);
      return h;
    };
    let h = open();
    await h.call('session/login', { username: 'wang', password: 'secret' });
    await until(() => h.events.some((e) => e.type === 'sync' && e.status.cursor === mock.headSeq()));

    const recorded: string[] = [];
    const rejected: string[] = [];
    const record = async (n: number, note = '') => {
      const { outcomeId } = await h.call<{ outcomeId: string }>('outcome/record', {
        callId: `call-${n}`,
        customerId: `c-${(n % 30) + 1}`,
        phone: makeCustomer((n % 30) + 1).phone,
        offerId: 'o-1',
        result: n % 2 === 0 ? 'accepted' : 'declined',
        declineReason: n % 2 === 0 ? null : 'price',
        note,
        channel: 'hotline',
      });
      (note.startsWith('REJECT') ? rejected : recorded).push(outcomeId);
    };

    // 1. The server answers 500 for a while.
    mock.faults.failNext(6, 500);
    for (let n = 0; n < 5; n++) await record(n);
    // 2. Batches commit on the server but the answer is lost: the desk must resend the same ids.
    mock.faults.dropBatchResponsesAfterCommit(2);
    for (let n = 5; n < 10; n++) await record(n);
    await record(10, 'REJECT: contains an ID number');
    await until(() => mock.stats.batches >= 3);

    // 3. An outage: the agent keeps working from the cache; the server keeps changing.
    mock.faults.setDown(true);
    for (let n = 11; n < 20; n++) {
      const card = await h.call<{ kind: string }>('card/byPhone', { phone: `+86${makeCustomer((n % 30) + 1).phone}` });
      expect(card.kind).toBe('known');
      await record(n);
    }
    mock.put('customer', makeCustomer(3, { name: 'Renamed While Offline' }));
    mock.remove('offer', 'o-2');
    mock.remove('customer', 'c-30');
    mock.put('score', makeScore('c-11'));
    await until(() => h.events.some((e) => e.type === 'sync' && !e.status.online));

    // 4. The desk is shut down (outbox still full) and started again before the API returns.
    await h.backend.close();
    h = open();
    expect(await h.backend.invoke('session/login', { username: 'wang', password: 'secret' })).toMatchObject({
      ok: false,
      error: { code: 'offline' },
    });
    mock.faults.setDown(false);
    await h.call('session/login', { username: 'wang', password: 'secret' });
    for (let n = 20; n < 25; n++) await record(n);

    const settled = (s: SyncStatus) => s.online && s.outboxPending === 0 && s.cursor === mock.headSeq() && s.lastError === null;
    await until(() => h.events.some((e) => e.type === 'sync' && settled(e.status)), 20_000, 'sync to settle');
    // The nine cards opened offline were audited, kept across the restart and stored once each.
    await until(() => mock.auditViews().length >= 9, 20_000, 'the card views to upload');
    expect(mock.auditViews().map((v) => v.purpose)).toEqual(Array(9).fill('lookup'));
    const status = await h.call<SyncStatus>('sync/status');

    // Every outcome reached the server exactly once; the resends were answered as duplicates.
    const committed = mock.committedOutcomeIds();
    expect(new Set(committed).size).toBe(committed.length);
    expect([...committed].sort()).toEqual([...recorded].sort());
    expect(mock.stats.duplicates).toBeGreaterThan(0);
    // The rejected one is dead-lettered, not lost; nothing else waits.
    expect(status).toMatchObject({ outboxPending: 0, outboxDead: 1, oldestPendingAt: null });
    // The cursor only ever moved forward.
    const cursors = harnesses.flatMap((x) => x.events.flatMap((e) => (e.type === 'sync' ? [e.status.cursor] : [])));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));

    await h.backend.close();
    // The cache mirrors the server at the cursor, row for row.
    expect(cacheRows(cachePath)).toEqual(mock.rowsAt(status.cursor));
    const db = new Database(cachePath, { readonly: true });
    const states = db.prepare<[], { sync_state: string; n: number }>('SELECT sync_state, count(*) AS n FROM outcomes GROUP BY 1 ORDER BY 1').all();
    db.close();
    expect(states).toEqual([
      { sync_state: 'dead', n: rejected.length },
      { sync_state: 'synced', n: recorded.length },
    ]);
  });
});
