// The desk renews its short-lived access token without the agent noticing: ahead of expiry, and
// after a 401 when the token expired anyway (clock skew, a sleeping laptop). Concurrent calls share
// one refresh (a second use of the same refresh token would revoke the session). When the server
// refuses the refresh, the desk asks the agent to log in again and keeps its outbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeskBackend, type DeskBackend } from '../../desk-backend/desk-backend';
import type { DeskOutput, SyncStatus } from '../../shared/contract/desk-api';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { startTestApi } from '../server/support/test-api';
import { injectFetch } from '../support/inject-fetch';

const LOGIN = { username: 'agent01', password: DEMO_PASSWORD };
const SECOND_MS = 1000;

interface SeenRequest {
  path: string;
  authorization: string | null;
  status: number;
}

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(path.join(tmpdir(), 'clm-desk-refresh-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** A desk on its own cache, talking to `api` in-process, with a clock the test can move. */
function startDesk(api: CentralApi, name: string) {
  const seen: SeenRequest[] = [];
  const toApi = injectFetch(() => api.app);
  const clock = { offsetMs: 0 };
  const network = { down: false };
  const backend: DeskBackend = createDeskBackend({
    cachePath: path.join(cacheDir, `${name}.sqlite`),
    apiUrl: 'http://127.0.0.1:1', // the CTI WebSocket fails quietly; HTTP goes through `fetch`
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      if (network.down) throw new TypeError('fetch failed');
      const response = await toApi(input, init);
      seen.push({
        path: new URL(String(input)).pathname,
        authorization: new Headers(init?.headers).get('authorization'),
        status: response.status,
      });
      return response;
    }) as typeof fetch,
    now: () => new Date(Date.now() + clock.offsetMs),
    pullIntervalMs: 1_000_000_000,
    uploadIntervalMs: 1_000_000_000,
    retryBackoff: { baseMs: 0, capMs: 0 },
    logger: { warn: () => undefined },
  });
  const call = async <T>(operation: string, input: unknown = {}): Promise<T> => {
    const result = await backend.invoke(operation, input);
    if (!result.ok) throw new Error(`${operation}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  return { backend, seen, clock, network, call };
}

const record = (call: ReturnType<typeof startDesk>['call'], n: number) =>
  call<DeskOutput<'outcome/record'>>('outcome/record', {
    callId: `refresh-${n}`,
    customerId: 'CUS0000001',
    phone: null,
    offerId: 'OFF-D-RETENTION-DISCOUNT',
    result: 'accepted',
    note: '',
    channel: 'hotline',
  });

describe('with 15-minute access tokens', () => {
  let api: CentralApi;
  const desks: DeskBackend[] = [];
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 10 });
  });
  afterEach(async () => {
    for (const desk of desks.splice(0)) await desk.close();
  });
  afterAll(() => api?.close());

  it('refreshes shortly before the access token expires, and calls on with the new one', async () => {
    const desk = startDesk(api, 'ahead');
    desks.push(desk.backend);
    await desk.call('session/login', LOGIN);
    await desk.call('sync/now');
    const loginToken = desk.seen.find((r) => r.path === '/sync/changes')?.authorization;
    expect(desk.seen.some((r) => r.path === '/auth/refresh')).toBe(false);

    desk.clock.offsetMs = 14.5 * 60 * SECOND_MS; // 30 s of the token left on the desk's clock
    desk.seen.length = 0;
    const status = await desk.call<SyncStatus>('sync/now');

    expect(desk.seen.filter((r) => r.path === '/auth/refresh').map((r) => r.status)).toEqual([200]);
    // Refreshed before calling: no 401 was ever needed, and the calls carried the new token.
    expect(desk.seen.filter((r) => r.status === 401)).toEqual([]);
    const synced = desk.seen.filter((r) => r.path === '/sync/changes');
    expect(synced.length).toBeGreaterThan(0);
    for (const request of synced) expect(request.authorization).not.toBe(loginToken);
    expect(status).toMatchObject({ online: true, lastError: null });
  });

  it('ends the session on the server when the agent logs out: its refresh token is revoked', async () => {
    const desk = startDesk(api, 'logout');
    desks.push(desk.backend);
    const liveSessions = async () =>
      (
        await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = 'agent04' AND revoked_at IS NULL AND used_at IS NULL`)
      )[0]!.n;
    await desk.call('session/login', { username: 'agent04', password: DEMO_PASSWORD });
    expect(await liveSessions()).toBe(1);
    await desk.call('session/logout');
    expect(desk.seen.filter((r) => r.path === '/auth/logout').map((r) => r.status)).toEqual([204]);
    expect(await liveSessions()).toBe(0);
  });

  it('asks the agent to log in again when the refresh is refused, keeping the outbox until then', async () => {
    const desk = startDesk(api, 'refused');
    desks.push(desk.backend);
    await desk.call('session/login', LOGIN);
    await desk.call('sync/now');
    // The central API is unreachable for a moment: the outcome waits in the outbox.
    desk.network.down = true;
    const recorded = await record(desk.call, 1);
    await desk.call('sync/now');
    desk.network.down = false;
    // Meanwhile the session was revoked server-side (an admin, or a detected token theft) and the access token ran out.
    await api.db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL`);
    desk.clock.offsetMs = 16 * 60 * SECOND_MS;

    const status = await desk.call<SyncStatus>('sync/now');
    expect(status.lastError).toMatch(/log in again/);
    expect(status.outboxPending).toBe(1);

    desk.clock.offsetMs = 0;
    await desk.call('session/login', LOGIN);
    expect(await desk.call<SyncStatus>('sync/now')).toMatchObject({ outboxPending: 0, lastError: null });
    const [stored] = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes WHERE outcome_id = $1', [recorded.outcomeId]);
    expect(stored?.n).toBe(1);
  });
});

describe('with access tokens that expire before the desk expects (clock skew)', () => {
  let api: CentralApi;
  // The server's token clock is moved instead of waiting for a short-lived token to run out:
  // a token that expired by waiting could also expire again under load, before the retry used it.
  const serverClock = { offsetMs: 0 };
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 10, accessTokenClock: () => new Date(Date.now() + serverClock.offsetMs) });
  });
  afterAll(() => api?.close());

  it('renews after a 401 and retries, with ONE refresh shared by the concurrent upload and download', async () => {
    const desk = startDesk(api, 'skewed');
    // The desk's clock runs ten minutes slow: by its reckoning the token is always fresh.
    desk.clock.offsetMs = -10 * 60 * SECOND_MS;
    try {
      await desk.call('session/login', LOGIN);
      await desk.call('sync/now');
      serverClock.offsetMs = 16 * 60 * SECOND_MS; // the server-side expiry passes
      desk.seen.length = 0;
      const recorded = await record(desk.call, 2);
      const status = await desk.call<SyncStatus>('sync/now');

      const refreshes = desk.seen.filter((r) => r.path === '/auth/refresh');
      expect(refreshes.map((r) => r.status)).toEqual([200]);
      expect(
        desk.seen
          .filter((r) => r.status === 401)
          .map((r) => r.path)
          .sort(),
      ).toEqual(['/outcomes/batch', '/sync/changes']);
      expect(status).toMatchObject({ online: true, lastError: null, outboxPending: 0 });
      const [stored] = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes WHERE outcome_id = $1', [recorded.outcomeId]);
      expect(stored?.n).toBe(1);
    } finally {
      await desk.backend.close();
    }
  });
});
