// A call rung while a new desk is still doing its first download (real central API on PGlite). The
// download is held at a latch between its tables: the customers are in, their scores are not. The
// caller's card must come at once and be whole: from the central API, marked as such, with the
// churn risk the cache does not hold yet; and the download writes nothing more until that card is
// out (it gives way to the ringing call). Once the download is done the cache answers again.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskEvent, SyncStatus } from '../../shared/contract/desk-api';
import type { CentralApi } from '../../server/app';
import { publishCtiEvent } from '../../server/cti/publish';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { startTestApi, TEST_CUSTOMERS } from '../server/support/test-api';
import { useTempDir } from '../db/support/temp-dir';
import { readCache, startBackend, type BackendHarness } from './support/backend-harness';
import { until } from './support/wait';

const temp = useTempDir();
let api: CentralApi;
let apiUrl: string;
const harnesses: BackendHarness[] = [];

beforeAll(async () => {
  api = await startTestApi();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  // A failed test may leave a download held: let it go, so the desk can close.
  for (const held of latches) held.open();
  for (const h of harnesses) await h.backend.close();
  await api?.close();
});

const latches: { open(): void }[] = [];
/** A promise a test opens by hand. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  latches.push({ open });
  return { open, opened };
}

/** Rows of a synced table in the desk's cache file (other than `exceptCustomer`'s), read beside the running desk. */
function cachedRows(cachePath: string, table: 'customers' | 'scores', exceptCustomer = ''): number {
  const key = table === 'customers' ? 'id' : 'customer_id';
  return readCache(cachePath, (db) => db.prepare<[string], number>(`SELECT count(*) FROM ${table} WHERE ${key} <> ?`).pluck().get(exceptCustomer) ?? 0);
}

/**
 * A desk whose first download stops before the score table until `scores.open()`; `hold(path)`
 * latches more requests (by path prefix) and `asked(path)` says whether one was made.
 */
function deskHeldBeforeScores(agent: string) {
  const cachePath = temp.path();
  const scores = latch();
  const held = new Map<string, Promise<void>>();
  const seen = new Set<string>();
  const heldFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const request = url.pathname === '/sync/snapshot' ? `/sync/snapshot?entity=${url.searchParams.get('entity')}` : url.pathname;
    seen.add(request);
    if (request === '/sync/snapshot?entity=score') await scores.opened;
    for (const [prefix, until] of held) if (request.startsWith(prefix)) await until;
    return fetch(input, init);
  };
  const h = startBackend({ cachePath, apiUrl, fetch: heldFetch });
  harnesses.push(h);
  return {
    h,
    cachePath,
    scores,
    hold: (prefix: string, until: Promise<void>) => void held.set(prefix, until),
    asked: (prefix: string) => [...seen].some((request) => request.startsWith(prefix)),
    login: () => h.call('session/login', { username: agent, password: DEMO_PASSWORD }),
  };
}

const phoneOf = async (rank: number) =>
  (await api.db.query<{ id: string; phone: string }>('SELECT id, phone FROM customers WHERE NOT deleted ORDER BY id LIMIT 1 OFFSET $1', [rank]))[0]!;

let ringsPublished = 0;
/**
 * Rings `agentId` from `ani` until the desk hears one of the calls rung here (its CTI stream connects
 * on its own time, so a ring may go unheard and another follow); returns the first one heard. Only
 * this call's rings count: one rung again earlier, while the card of the first came slowly from the
 * central API, arrives later still and was decided on the cache as it was then.
 */
async function ringUntilHeard(h: BackendHarness, agentId: string, ani: string) {
  const rung = new Set<string>();
  const ringing = () =>
    h.events.find((e): e is Extract<DeskEvent, { type: 'call' }> => e.type === 'call' && e.event.event === 'offered' && rung.has(e.event.callId));
  for (let n = 0; ringing() === undefined; n += 1) {
    if (n === 40) throw new Error(`${agentId}'s desk heard none of 40 rings`);
    const callId = `first-download-${agentId}-${(ringsPublished += 1)}`;
    rung.add(callId);
    await publishCtiEvent(api.db, { callId, ani, agentId, event: 'offered' });
    await until(() => ringing() !== undefined, 500).catch(() => undefined);
  }
  return ringing()!;
}

describe('a call rung during a new desk’s first download', () => {
  it('is painted from the central API, marked as such, while the caller’s score has not been downloaded; from the cache once it has', async () => {
    const desk = deskHeldBeforeScores('agent01');
    await desk.login();
    await until(() => cachedRows(desk.cachePath, 'customers') === TEST_CUSTOMERS, 10_000, 'the customers downloaded');
    const caller = await phoneOf(7);

    const pushed = await ringUntilHeard(desk.h, 'agent01', caller.phone);
    expect(pushed.card?.source).toBe('server');
    expect(pushed.card?.customer?.id).toBe(caller.id);
    expect(pushed.card?.assessment.churnProbability).not.toBeNull();
    // Still mid-download: no score is cached but the caller's own, kept with the central API's card.
    expect(cachedRows(desk.cachePath, 'scores', caller.id)).toBe(0);

    desk.scores.open();
    await until(() => desk.h.events.some((e) => e.type === 'sync' && e.status.lastSyncAt !== null), 10_000, 'the download finished');
    expect((await desk.h.call<SyncStatus>('sync/now')).customersCached).toBe(TEST_CUSTOMERS);
    const again = await ringUntilHeard(desk.h, 'agent01', caller.phone);
    expect(again.card?.customer?.id).toBe(caller.id);
    expect(again.card?.source).toBeUndefined(); // from the cache
  });

  it('writes nothing more of the download until the ringing caller’s card is out', async () => {
    const desk = deskHeldBeforeScores('agent02');
    const byPhone = latch();
    desk.hold('/cards/by-phone/', byPhone.opened);
    await desk.login();
    await until(() => cachedRows(desk.cachePath, 'customers') === TEST_CUSTOMERS, 10_000, 'the customers downloaded');
    const caller = await phoneOf(11);

    // The call rings; its card waits for the central API's answer, held until the score page is in
    // the desk's hands (the desk asks for the next table's page before it writes a page).
    let scoresWhenCardOut: number | null = null;
    desk.h.backend.onEvent((event) => {
      if (event.type === 'call' && event.event.event === 'offered' && scoresWhenCardOut === null)
        scoresWhenCardOut = cachedRows(desk.cachePath, 'scores', caller.id);
    });
    const ringing = ringUntilHeard(desk.h, 'agent02', caller.phone);
    await until(() => desk.asked('/cards/by-phone/'), 30_000, 'the ringing caller asked of the central API');
    desk.scores.open();
    await until(() => desk.asked('/sync/snapshot?entity=contact_history'), 10_000, 'the score page received');
    byPhone.open();

    const pushed = await ringing;
    expect(pushed.card?.source).toBe('server');
    expect(pushed.card?.customer?.id).toBe(caller.id);
    expect(scoresWhenCardOut).toBe(0);
    await until(() => cachedRows(desk.cachePath, 'scores') === TEST_CUSTOMERS, 10_000, 'the scores downloaded after the card');
  });
});
