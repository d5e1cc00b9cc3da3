// Backup and restore as the runbook does them (deploy/backup/clm-backup and clm-restore: pg_dump and
// pg_restore of the local PostgreSQL 15): a running book with a recorded outcome is dumped while the
// API serves, a desk keeps working after the dump, and the copy is restored into a fresh database.
// The API started on it in production mode holds the outcome, the staff accounts and the desk's
// session; the desk, whose cursor is now ahead of the restored change log, misses no new change
// (clm-restore advances the log), and a resent outcome counts once. What the desk did after the
// backup is not in the copy: the limit of a dump the runbook states.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse, RefreshResponse } from '../../shared/contract/auth-refresh';
import { OutcomeBatchResponse, OutcomeListResponse, SyncChangesResponse, type OutcomeBatchRequest } from '../../shared/contract/central-api';
import { createCentralApi, type CentralApi } from '../../server/app';
import { createScratchDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/scratch-postgres';
import { bearer, login, outcomeItem, startTestApi, TEST_CTI_KEY, TEST_TOKEN_SECRET } from '../server/support/test-api';
import { repoRoot } from './support/dockerfile';
import { run } from './support/processes';

const BACKUP = path.join(repoRoot, 'deploy/backup/clm-backup');
const RESTORE = path.join(repoRoot, 'deploy/backup/clm-restore');
const PASSWORD = 'Night-Shift-2027!';
const DEVICE = 'desk-backup-test';

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'backup and restore of the central database' : POSTGRES_SKIP_REASON, () => {
  let original: Scratch;
  let restored: Scratch;
  let workDir: string;
  let dumpFile: string;
  let api: CentralApi;
  // What a desk holds: its refresh token, its change-log cursor at the backup and later, its uploads.
  let deskRefreshToken: string;
  let cursorAtBackup: number;
  let cursorAfterBackup: number;
  let batch: OutcomeBatchRequest;
  let batchAfterBackup: OutcomeBatchRequest;

  const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', HOME: workDir, ...extra });
  const readFeed = async (token: string, after: number) => {
    const response = await api.app.inject({ method: 'GET', url: `/sync/changes?after=${after}&limit=1000`, headers: bearer(token) });
    expect(response.statusCode, response.body).toBe(200);
    return SyncChangesResponse.parse(response.json());
  };
  const feedHead = async (token: string) => {
    let cursor = 0;
    for (let page = await readFeed(token, 0); ; page = await readFeed(token, cursor)) {
      cursor = page.nextCursor;
      if (!page.hasMore) return cursor;
    }
  };
  const upload = async (token: string, body: OutcomeBatchRequest) => {
    const response = await api.app.inject({ method: 'POST', url: '/outcomes/batch', headers: bearer(token), payload: body });
    expect(response.statusCode, response.body).toBe(200);
    return OutcomeBatchResponse.parse(response.json());
  };
  const logIn = async (username: string) => {
    const response = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: PASSWORD } });
    expect(response.statusCode, response.body).toBe(200);
    return LoginWithRefreshResponse.parse(response.json());
  };

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'clm-backup-'));
    dumpFile = path.join(workDir, 'clm.dump');
    original = await createScratchDatabase(TEST_DATABASE_URL!);
    // Migrations and the seeded book, then staff accounts made by an administrator, as on a live site.
    api = await startTestApi({ databaseUrl: original.url, seedCustomers: 40 });
    const admin = bearer(await login(api.app, 'admin01'));
    for (const [username, role, team] of [
      ['opsagent', 'agent', 'T1'],
      ['opsadmin', 'admin', null],
    ] as const) {
      const created = await api.app.inject({
        method: 'POST',
        url: '/users',
        headers: admin,
        payload: { username, role, displayName: username, team, password: PASSWORD },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const agent = await logIn('opsagent');
    deskRefreshToken = agent.refreshToken;
    batch = { deviceId: DEVICE, items: [outcomeItem(DEVICE, 1, {}, 'opsagent')] };
    expect((await upload(agent.token, batch)).results).toEqual([{ outcomeId: batch.items[0]!.outcomeId, status: 'accepted' }]);
    cursorAtBackup = await feedHead(agent.token);
    expect(cursorAtBackup).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await api?.close();
    await original?.drop();
    await restored?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('clm-backup writes a dump that reads back while the API keeps serving, and nothing half-written', async () => {
    const result = await run([BACKUP, dumpFile], { env: env({ DATABASE_URL: original.url }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/clm-backup: wrote .*clm\.dump \(\d+ bytes\)/);
    expect(statSync(dumpFile).size).toBeGreaterThan(10_000);
    expect(() => statSync(`${dumpFile}.partial`)).toThrow();

    // The desk goes on after the backup: one more outcome, acknowledged, and a pull past the backup's log.
    const agent = await logIn('opsagent');
    batchAfterBackup = { deviceId: DEVICE, items: [outcomeItem(DEVICE, 2, {}, 'opsagent')] };
    expect((await upload(agent.token, batchAfterBackup)).results[0]!.status).toBe('accepted');
    cursorAfterBackup = await feedHead(agent.token);
    expect(cursorAfterBackup).toBeGreaterThan(cursorAtBackup);
    await api.close();
  });

  it('clm-backup says what is missing without a database', async () => {
    const result = await run([BACKUP, path.join(workDir, 'none.dump')], { env: env() });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('set DATABASE_URL to the central database');
  });

  it('clm-restore fills a fresh database and refuses one that already holds data', async () => {
    restored = await createScratchDatabase(TEST_DATABASE_URL!);
    const first = await run([RESTORE, dumpFile, restored.url], { env: env() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('advanced the change log');
    const again = await run([RESTORE, dumpFile, restored.url], { env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds \d+ tables; restore into an empty database/);
  });

  describe('the API on the restored database (production mode)', () => {
    beforeAll(async () => {
      api = await createCentralApi({ databaseUrl: restored.url, demo: false, tokenSecret: TEST_TOKEN_SECRET, ctiKey: TEST_CTI_KEY });
    });

    it('is ready: the database is at this build’s migration level', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode, response.body).toBe(200);
    });

    it('holds the outcome recorded before the backup, not the one acknowledged after it', async () => {
      const admin = await logIn('opsadmin');
      const response = await api.app.inject({ method: 'GET', url: '/outcomes?after=0&limit=1000', headers: bearer(admin.token) });
      const stored = OutcomeListResponse.parse(response.json()).outcomes.filter((outcome) => outcome.deviceId === DEVICE);
      expect(stored.map(({ outcomeId, agentId, draft }) => ({ outcomeId, agentId, result: draft.result }))).toEqual([
        { outcomeId: batch.items[0]!.outcomeId, agentId: 'opsagent', result: 'accepted' },
      ]);
    });

    it('lets the desk go on from the cursor it held: its session refreshes, a resent outcome counts once, and new changes come after its cursor', async () => {
      const refreshed = await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: deskRefreshToken } });
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      const token = RefreshResponse.parse(refreshed.json()).token;

      // A desk at the backup's cursor has nothing to redo; one that synced past it waits without error.
      expect(await readFeed(token, cursorAtBackup)).toEqual({ changes: [], nextCursor: cursorAtBackup, hasMore: false });
      expect(await readFeed(token, cursorAfterBackup)).toEqual({ changes: [], nextCursor: cursorAfterBackup, hasMore: false });

      // A desk that did not see the answer to an upload before the outage sends it again: counted once.
      const resent = await upload(token, batch);
      expect(resent).toEqual({ results: [{ outcomeId: batch.items[0]!.outcomeId, status: 'duplicate' }], lastAppliedClientSeq: 1 });

      // clm-restore moved the change log past every cursor a desk can hold, so the desk that synced past the
      // backup receives the next change instead of skipping it.
      const next = { deviceId: DEVICE, items: [outcomeItem(DEVICE, 3, {}, 'opsagent')] };
      expect((await upload(token, next)).results[0]!.status).toBe('accepted');
      const page = await readFeed(token, cursorAfterBackup);
      expect(page.changes.length).toBeGreaterThan(0);
      expect(page.changes.every((change) => change.seq > cursorAfterBackup)).toBe(true);
    });
  });
});
