// An idle desk's poll costs a share of one statement: polls waiting at the same moment share the
// read of their scopes and the commit-order horizon (server/sync/poll-state.ts), and a verified
// access token is remembered until it expires (server/auth/tokens.ts). Neither may answer a poll
// with what was true before it arrived, keep an expired token alive, or outlive a desk's revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScopedSyncChangesResponse } from '../../shared/contract/cache-scope';
import type { CentralApi } from '../../server/app';
import { createTokenService } from '../../server/auth/tokens';
import type { SqlClient } from '../../server/db/sql-client';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { upsertCustomers } from '../../server/sync/change-log';
import { createPollStateReader } from '../../server/sync/poll-state';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';
import { bearer, login, startTestApi } from './support/test-api';

/** A database whose statements answer in the order the test releases them; each answer's horizon is its statement's number. */
function gatedDatabase() {
  const statements: { userIds: string[]; release(): void }[] = [];
  const db = {
    async query(_sql: string, params?: readonly unknown[]) {
      const number = statements.length + 1;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      statements.push({ userIds: params![0] as string[], release });
      await released;
      const userIds = params![0] as string[];
      const scoped = userIds.filter((id) => id.startsWith('scoped'));
      if (scoped.length === 0) return [{ horizon: number, user_id: null }];
      return scoped.map((id) => ({ horizon: number, user_id: id, team: `T-${id}`, regions: ['r'], hot_set_cap: 0, generation: 1, refreshed_at: null }));
    },
  } as unknown as SqlClient;
  return { db, statements };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('polls sharing the read of their state', () => {
  it('answers each poll with a statement begun after it arrived, one statement for all that waited meanwhile', async () => {
    const { db, statements } = gatedDatabase();
    const read = createPollStateReader(db);
    const first = read('agent01');
    await settle();
    expect(statements).toHaveLength(1);
    // These arrive while the first statement runs: it may have read its snapshot before their desks' commits.
    const waited = [read('agent02'), read('scoped-agent03'), read('agent01')];
    await settle();
    expect(statements).toHaveLength(1);
    statements[0]!.release();
    expect(await first).toEqual({ scope: null, horizon: 1 });
    await settle();
    expect(statements).toHaveLength(2);
    expect(statements[1]!.userIds.sort()).toEqual(['agent01', 'agent02', 'scoped-agent03']);
    statements[1]!.release();
    const [second, scoped, again] = await Promise.all(waited);
    expect(second).toEqual({ scope: null, horizon: 2 });
    expect(again).toEqual({ scope: null, horizon: 2 });
    expect(scoped).toMatchObject({ horizon: 2, scope: { team: 'T-scoped-agent03', generation: 1 } });
  });

  it('fails the polls of a failed statement only; the next ones read afresh', async () => {
    let calls = 0;
    const db = {
      async query() {
        calls += 1;
        if (calls === 1) throw new Error('connection lost');
        return [{ horizon: 7, user_id: null }];
      },
    } as unknown as SqlClient;
    const read = createPollStateReader(db);
    await expect(read('agent01')).rejects.toThrow('connection lost');
    expect(await read('agent01')).toEqual({ scope: null, horizon: 7 });
  });
});

describe('a remembered access token', () => {
  it('is refused once the clock passes its expiry, and a forged copy is refused however often the real one was used', async () => {
    let now = new Date('2026-12-07T08:00:00Z');
    const tokens = createTokenService('secret-of-this-test', 15, () => now);
    const { token, expiresAt } = await tokens.issue({ id: 'agent01', role: 'agent', displayName: 'Agent 01', team: 'T1' }, undefined, 'desk-1');
    for (let i = 0; i < 3; i += 1) expect(await tokens.verify(token)).toMatchObject({ ok: true, deskId: 'desk-1', user: { id: 'agent01', team: 'T1' } });
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await tokens.verify(forged)).toEqual({ ok: false, reason: 'invalid' });
    now = new Date(expiresAt.getTime() - 1);
    expect((await tokens.verify(token)).ok).toBe(true);
    now = expiresAt;
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'an idle desk’s poll and the commit order (PostgreSQL)' : POSTGRES_SKIP_REASON, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let api: CentralApi;
  let token: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    api = await startTestApi({ databaseUrl: scratch.url, seedCustomers: 20 });
    token = await login(api.app, 'agent01');
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.drop();
  });

  const poll = async (after: number) => {
    const response = await api.app.inject({ method: 'GET', url: `/sync/changes?after=${after}&limit=100&scope=book`, headers: bearer(token) });
    expect(response.statusCode, response.body).toBe(200);
    return ScopedSyncChangesResponse.parse(response.json());
  };

  it('stays at its cursor while an earlier writer is open, then gets both writers’ changes in seq order', async () => {
    let head = 0;
    for (let page = await poll(0); ; page = await poll(head)) {
      head = page.nextCursor;
      if (!page.hasMore) break;
    }
    let release!: () => void;
    const mayCommit = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const open = api.db.transaction(async (tx) => {
      await upsertCustomers(tx, [{ ...generateDemoCustomer(3), name: '先写' }]);
      wrote();
      await mayCommit;
    });
    await written;
    await api.db.transaction((tx) => upsertCustomers(tx, [{ ...generateDemoCustomer(4), name: '后写' }]));
    // Many idle polls at once, sharing their reads: none passes the open writer's seq.
    for (const page of await Promise.all(Array.from({ length: 8 }, () => poll(head)))) expect(page).toMatchObject({ changes: [], nextCursor: head });
    release();
    await open;
    const caughtUp = await poll(head);
    expect(caughtUp.changes.map((c) => c.id)).toEqual([generateDemoCustomer(3).id, generateDemoCustomer(4).id]);
  });
});
