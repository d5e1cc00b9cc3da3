// A revoked desk (a lost laptop) wipes its cache: at once when a request is refused while it runs,
// or at its next start. The copy of the book goes, down to the bytes of the file; the work not
// uploaded yet stays while the administrator's decision is `hold` and uploads once the desk is
// reinstated, and goes only when the administrator decided `discard`.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeskBackend, type DeskBackend } from '../../desk-backend/desk-backend';
import { BOOKKEEPING_TABLES, DESK_WORK_TABLES, DOWNLOADED_TABLES } from '../../db/cache/desk-wipe';
import { openCache } from '../../db/cache/open-cache';
import type { DeskEvent, DeskOutput, DeskResult } from '../../shared/contract/desk-api';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { bearer, login, startTestApi } from '../server/support/test-api';
import { injectFetch } from '../support/inject-fetch';

const LOGIN = { username: 'agent01', password: DEMO_PASSWORD };

let api: CentralApi;
let adminToken: string;
let cacheDir: string;
const desks: DeskBackend[] = [];

beforeAll(async () => {
  cacheDir = mkdtempSync(path.join(tmpdir(), 'clm-desk-revocation-'));
  api = await startTestApi({ seedCustomers: 10 });
  adminToken = await login(api.app, 'admin01');
});
afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.close();
});
afterAll(async () => {
  await api?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** A desk on the cache file `name`, talking to the API in-process; `network.down` makes it offline. */
function startDesk(name: string) {
  const toApi = injectFetch(() => api.app);
  const network = { down: false };
  const warnings: string[] = [];
  const cachePath = path.join(cacheDir, `${name}.sqlite`);
  const backend = createDeskBackend({
    cachePath,
    apiUrl: 'http://127.0.0.1:1', // the CTI WebSocket fails quietly; HTTP goes through `fetch`
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      if (network.down) throw new TypeError('fetch failed');
      return toApi(input, init);
    }) as typeof fetch,
    pullIntervalMs: 1_000_000_000,
    uploadIntervalMs: 1_000_000_000,
    retryBackoff: { baseMs: 0, capMs: 0 },
    healthReportIntervalMs: 1_000_000_000,
    logger: { warn: (message) => warnings.push(message) },
  });
  desks.push(backend);
  const call = async <T>(operation: string, input: unknown = {}): Promise<T> => {
    const result = await backend.invoke(operation, input);
    if (!result.ok) throw new Error(`${operation}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  return { backend, network, warnings, cachePath, call };
}

async function closeDesk(backend: DeskBackend): Promise<void> {
  desks.splice(desks.indexOf(backend), 1);
  await backend.close();
}

/** Counts in the cache file, read beside the desk (WAL lets a reader in). */
function cacheCounts(cachePath: string) {
  const db = new Database(cachePath, { readonly: true });
  try {
    const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
    return {
      deskId: db.prepare<[], string>("SELECT value FROM sync_state WHERE key = 'device_id'").pluck().get(),
      customers: count('SELECT count(*) FROM customers'),
      offers: count('SELECT count(*) FROM offers'),
      pendingOutcomes: count("SELECT count(*) FROM outcomes WHERE sync_state = 'pending'"),
      outcomes: count('SELECT count(*) FROM outcomes'),
      outbox: count('SELECT count(*) FROM outbox'),
      cursor: db.prepare<[], number>("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get() ?? null,
    };
  } finally {
    db.close();
  }
}

/** The raw bytes of the cache file and its write-ahead log, as a thief copying them would have them. */
function rawCacheText(cachePath: string): string {
  const parts = [cachePath, `${cachePath}-wal`].map((file) => {
    try {
      return readFileSync(file).toString('latin1');
    } catch {
      return '';
    }
  });
  return parts.join('');
}

const recordOffline = (call: ReturnType<typeof startDesk>['call'], n: number) =>
  call<DeskOutput<'outcome/record'>>('outcome/record', {
    callId: `revocation-${n}`,
    customerId: 'CUS0000001',
    phone: null,
    offerId: 'OFF-D-RETENTION-DISCOUNT',
    result: 'accepted',
    note: 'customer will think about it',
    channel: 'hotline',
  });

const revoke = (deskId: string, unsent: 'hold' | 'discard') =>
  api.app.inject({ method: 'POST', url: `/desks/${deskId}/revoke`, headers: bearer(adminToken), payload: { reason: 'laptop lost', unsent } });

const failureOf = (result: DeskResult<unknown>) => (result.ok ? null : result.error.code);

describe('a revoked desk', () => {
  it('hears of it at its next request, erases the book down to the file bytes, holds its unsent outcome, and uploads it once reinstated', async () => {
    const desk = startDesk('hold');
    const events: DeskEvent[] = [];
    desk.backend.onEvent((event) => events.push(event));
    await desk.call('session/login', LOGIN);
    await desk.call('sync/now');
    const before = cacheCounts(desk.cachePath);
    expect(before.customers).toBeGreaterThan(0);
    const [customer] = await api.db.query<{ phone: string; name: string }>("SELECT phone, data->>'name' AS name FROM customers ORDER BY id LIMIT 1");
    expect(rawCacheText(desk.cachePath)).toContain(customer!.phone);

    desk.network.down = true;
    const recorded = await recordOffline(desk.call, 1);
    desk.network.down = false;
    expect((await revoke(before.deskId!, 'hold')).statusCode).toBe(200);

    // The next request is refused: the session ends and the cache is wiped.
    const sync = await desk.backend.invoke('sync/now', {});
    await desk.backend.revocationSettled();
    expect(sync.ok ? null : sync.error.code).not.toBe('internal');
    expect(await desk.call('session/current')).toBeNull();
    // The screen is told why, with the administrator's decision, so it can say so at once.
    expect(events).toContainEqual({ type: 'session', session: null, ended: { reason: 'desk_revoked', unsent: 'hold' } });
    const after = cacheCounts(desk.cachePath);
    expect(after).toMatchObject({ deskId: before.deskId, customers: 0, offers: 0, pendingOutcomes: 1, outbox: 1, cursor: null });
    const raw = rawCacheText(desk.cachePath);
    expect(raw).not.toContain(customer!.phone);
    expect(raw).not.toContain(customer!.name);
    expect(desk.warnings.some((w) => w.includes('revoked') && w.includes('1 outcomes'))).toBe(true);

    // Signing in is refused with the code the login screen explains.
    expect(failureOf(await desk.backend.invoke('session/login', LOGIN))).toBe('desk_revoked');

    // The laptop is found: reinstated, the desk signs in, uploads what it held and downloads the book afresh.
    expect((await api.app.inject({ method: 'POST', url: `/desks/${before.deskId}/reinstate`, headers: bearer(adminToken) })).statusCode).toBe(200);
    await desk.call('session/login', LOGIN);
    await desk.call('sync/now');
    const [stored] = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outcomes WHERE outcome_id = $1', [recorded.outcomeId]);
    expect(stored?.n).toBe(1);
    expect(cacheCounts(desk.cachePath)).toMatchObject({ deskId: before.deskId, pendingOutcomes: 0, outbox: 0, customers: before.customers });
  });

  it('wipes at its next start, its unsent work too when the administrator decided to discard it', async () => {
    const first = startDesk('discard');
    await first.call('session/login', LOGIN);
    await first.call('sync/now');
    first.network.down = true;
    await recordOffline(first.call, 2);
    const { deskId } = cacheCounts(first.cachePath);
    await closeDesk(first.backend);
    expect((await revoke(deskId!, 'discard')).statusCode).toBe(200);

    const restarted = startDesk('discard');
    await restarted.backend.revocationSettled();
    expect(cacheCounts(restarted.cachePath)).toMatchObject({ deskId, customers: 0, outcomes: 0, outbox: 0, cursor: null });
    expect(rawCacheText(restarted.cachePath)).not.toContain('customer will think about it');
    expect(failureOf(await restarted.backend.invoke('session/login', LOGIN))).toBe('desk_revoked');
  });

  it('keeps everything when it cannot reach the central API at start, and a desk nobody revoked keeps its cache', async () => {
    const first = startDesk('offline-start');
    await first.call('session/login', LOGIN);
    await first.call('sync/now');
    const before = cacheCounts(first.cachePath);
    await closeDesk(first.backend);
    expect((await revoke(before.deskId!, 'discard')).statusCode).toBe(200);

    const offline = startDesk('offline-start');
    offline.network.down = true;
    await offline.backend.revocationSettled();
    expect(cacheCounts(offline.cachePath).customers).toBe(before.customers);
    await closeDesk(offline.backend);

    const unrevoked = startDesk('never-revoked');
    await unrevoked.call('session/login', LOGIN);
    await unrevoked.call('sync/now');
    const kept = cacheCounts(unrevoked.cachePath);
    await closeDesk(unrevoked.backend);
    const again = startDesk('never-revoked');
    await again.backend.revocationSettled();
    expect(cacheCounts(again.cachePath)).toEqual(kept);
  });
});

describe('the wipe', () => {
  it('knows every table of the cache: each is erased, held or bookkeeping (a new table must be classified)', () => {
    const cache = openCache(path.join(cacheDir, 'schema.sqlite'));
    try {
      const tables = cache.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
      expect([...DOWNLOADED_TABLES, ...DESK_WORK_TABLES, ...BOOKKEEPING_TABLES].sort()).toEqual(tables);
    } finally {
      cache.close();
    }
  });
});
