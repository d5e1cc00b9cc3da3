// The core flows again on real PostgreSQL, plus what only a multi-connection server can show:
// concurrent writers keep the change feed in commit order, and a CTI event posted to one
// instance reaches a WebSocket held by another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtiPush } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { upsertCustomers } from '../../server/sync/change-log';
import { readChangesPage } from '../../server/sync/changes-page';
import { migrationFlows, outcomeDedupeFlows, syncFlows } from './support/core-flows';
import { collectMessages, openSocket, postCall } from './support/cti-client';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';
import { TEST_CTI_KEY, login, startTestApi } from './support/test-api';

const CUSTOMERS = 150;

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'central API on PostgreSQL' : POSTGRES_SKIP_REASON, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let api: CentralApi;

  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    api = await startTestApi({ databaseUrl: scratch.url, seedCustomers: CUSTOMERS });
    expect(api.driver).toBe('postgres');
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.drop();
  });

  describe('migrations', () => migrationFlows(() => api));
  describe('sync paging', () => syncFlows(() => api, CUSTOMERS));
  describe('outcome dedupe', () => outcomeDedupeFlows(() => api));

  it('keeps change seqs in commit order when writers overlap', async () => {
    const { db } = api;
    const before = (await readChangesPage(db, 0, 5000)).nextCursor;
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWrote!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));

    const first = db.transaction(async (tx) => {
      await upsertCustomers(tx, [{ ...generateDemoCustomer(10), name: '先写' }]);
      firstWrote();
      await firstMayCommit;
    });
    await firstHasWritten;
    const second = db.transaction((tx) => upsertCustomers(tx, [{ ...generateDemoCustomer(11), name: '后写' }]));

    // The second writer waits for the lock; nothing is visible yet, so no cursor can skip the first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await readChangesPage(db, before, 100)).changes).toEqual([]);

    releaseFirst();
    await Promise.all([first, second]);
    const page = await readChangesPage(db, before, 100);
    expect(page.changes.map((c) => c.id)).toEqual(['CUS0000011', 'CUS0000012']);
    expect(page.changes[1]!.seq).toBeGreaterThan(page.changes[0]!.seq);
  });

  it('pushes a CTI event posted to one instance to an agent connected to another', async () => {
    const other = await startTestApi({ databaseUrl: scratch.url });
    try {
      const listening = await api.app.listen({ host: '127.0.0.1', port: 0 });
      const posting = await other.app.listen({ host: '127.0.0.1', port: 0 });
      const socket = await openSocket(listening, { protocolToken: await login(api.app, 'agent04') });
      const received = collectMessages(socket);
      try {
        const event = { callId: 'pg-cross-instance', ani: '13912345678', agentId: 'agent04', event: 'offered' } as const;
        expect((await postCall(posting, TEST_CTI_KEY, event)).status).toBe(202);
        await expect.poll(() => received.length).toBe(1);
        // The hub hands desks the caller's number in E.164, whatever form the platform posted.
        expect(CtiPush.parse(JSON.parse(received[0]!)).event).toEqual({ ...event, ani: '+8613912345678' });
      } finally {
        socket.close();
      }
    } finally {
      await other.close();
    }
  });
});
