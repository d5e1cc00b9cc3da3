import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract/desk-api';
import { openCache, type CacheDb } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/replica/apply-changes';
import { createCentralApiClient, type SessionApi } from '../../desk-backend/central-api/central-api-client';
import { createAuditOutbox, createDiscardOutbox } from '../../db/outbox/audit-outbox';
import { createEventOutbox } from '../../db/outbox/event-outbox';
import { createOutbox } from '../../db/outbox/outbox';
import { createScopeCache } from '../../db/replica/scope-cache';
import { createSnapshotBootstrap } from '../../db/replica/snapshot-bootstrap';
import { createScoringBundleCache } from '../../db/cache/scoring-bundle-cache';
import { createSyncEngine, type SyncCache, type SyncEngine, type SyncEngineOptions } from '../../desk-backend/replication/sync-engine';
import { createSyncStateStore } from '../../db/replica/sync-state';
import { createSyncStatusReader } from '../../db/replica/sync-status';
import { makeCustomer, makeDraft, makeOffer } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();

/** Wraps the client to record the highest number of concurrent calls per method. */
function concurrencyProbe(api: SessionApi) {
  const inFlight = { changes: 0, outcomesBatch: 0 };
  const max = { changes: 0, outcomesBatch: 0 };
  const track =
    <A extends unknown[], R>(name: keyof typeof inFlight, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      inFlight[name] += 1;
      max[name] = Math.max(max[name], inFlight[name]);
      try {
        return await call(...args);
      } finally {
        inFlight[name] -= 1;
      }
    };
  return { api: { ...api, changes: track('changes', api.changes), outcomesBatch: track('outcomesBatch', api.outcomesBatch) }, max };
}

describe('sync engine', () => {
  let mock: MockCentralApi;
  let db: CacheDb;
  let cache: SyncCache;
  let engine: SyncEngine | null = null;
  let token: string;
  const statuses: SyncStatus[] = [];

  beforeEach(async () => {
    mock = await startMockCentralApi();
    db = openCache(temp.path());
    const syncState = createSyncStateStore(db);
    const outbox = createOutbox(db);
    const eventOutbox = createEventOutbox(db);
    cache = {
      applyPage: createChangeApplier(db),
      outbox,
      auditOutbox: createAuditOutbox(db),
      discardOutbox: createDiscardOutbox(db),
      eventOutbox,
      scoringBundles: createScoringBundleCache(db),
      bootstrap: createSnapshotBootstrap(db),
      scope: createScopeCache(db),
      syncState,
      readStatus: createSyncStatusReader(db, syncState, outbox, eventOutbox),
    };
    token = (await createCentralApiClient({ baseUrl: mock.url }).login({ username: 'a', password: 'secret' })).token;
    statuses.length = 0;
  });
  afterEach(async () => {
    await engine?.stop();
    engine = null;
    db.close();
    await mock.close();
  });

  /** The client as the session holding `token` (the test's login, or one it replaced). */
  const sessionApi = () => createCentralApiClient({ baseUrl: mock.url }).forSession({ authorized: (call) => call(token) });

  function start(api: SessionApi, options: Pick<SyncEngineOptions, 'pageSize' | 'onPageApplied'> = {}) {
    engine = createSyncEngine({
      api,
      cache,
      agentId: 'agent-a',
      now: () => new Date(),
      pullIntervalMs: 60_000,
      uploadIntervalMs: 60_000,
      pageSize: options.pageSize,
      onPageApplied: options.onPageApplied,
      onStatus: (s) => statuses.push(s),
    });
    return engine;
  }

  it('pulls page after page until caught up', async () => {
    for (let i = 1; i <= 25; i++) mock.put('customer', makeCustomer(i));
    mock.put('offer', makeOffer('o-1'));
    const status = await start(sessionApi(), { pageSize: 4 }).syncNow();
    expect(status).toMatchObject({ online: true, cursor: 26, customersCached: 25, lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
    expect(mock.stats.changeRequests).toBe(7);
    expect(statuses.at(-1)).toEqual(status);
  });

  it('writes a large change page a slice at a time, and a ringing card’s work holds the rest of the page back', async () => {
    for (let i = 1; i <= 2_500; i++) mock.put('customer', makeCustomer(i));
    let releaseCard!: () => void;
    const cardBuilt = new Promise<void>((resolve) => (releaseCard = resolve));
    let released = false;
    const afterSlices: [cached: number, cardOut: boolean][] = [];
    const cached = () => db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    const sync = start(sessionApi(), {
      onPageApplied: () => {
        afterSlices.push([cached(), released]);
        // A call rings after the first slice: the download gives way to its card.
        if (afterSlices.length === 1) sync.giveWay(cardBuilt);
      },
    });
    const synced = sync.syncNow();
    await until(() => afterSlices.length === 1);
    released = true;
    releaseCard();
    expect(await synced).toMatchObject({ cursor: 2_500, customersCached: 2_500, lastError: null });
    // No slice after the first is written before the card is out.
    expect(afterSlices).toEqual([
      [1_000, false],
      [2_000, true],
      [2_500, true],
    ]);
    expect(mock.stats.changeRequests).toBe(1);
  });

  it('ignores a changes hint that arrives after it stopped and its cache closed (a closing socket may still deliver one)', async () => {
    const stopped = start(sessionApi());
    stopped.start();
    await stopped.syncNow();
    await stopped.stop();
    engine = null;
    db.close();
    expect(() => stopped.changesAvailable(1_000)).not.toThrow();
    db = openCache(temp.path());
  });

  it('names the scope of its first page in every later request of a first download (the server takes an unnamed cache for the whole book)', async () => {
    for (let i = 1; i <= 9; i++) mock.put('customer', makeCustomer(i));
    const api = sessionApi();
    const named: (string | undefined)[] = [];
    const scoped: SessionApi = {
      ...api,
      changes: async (after, limit, signal, scope) => {
        named.push(scope);
        return { ...(await api.changes(after, limit, signal, scope)), scope: 'team:T1:1' };
      },
    };
    expect(await start(scoped, { pageSize: 4 }).syncNow()).toMatchObject({ customersCached: 9, lastError: null });
    expect(named).toEqual([undefined, 'team:T1:1', 'team:T1:1']);
  });

  it('never runs two pulls or two uploads at once, and still serves every caller', async () => {
    for (let i = 1; i <= 10; i++) mock.put('customer', makeCustomer(i));
    const probe = concurrencyProbe(sessionApi());
    const sync = start(probe.api, { pageSize: 3 });
    for (let i = 0; i < 5; i++) cache.outbox.record(makeDraft(), 'agent-a', new Date());
    const results = await Promise.all([sync.syncNow(), sync.syncNow(), sync.syncNow()]);
    cache.outbox.record(makeDraft(), 'agent-a', new Date());
    sync.kickUpload();
    sync.kickUpload();
    await sync.syncNow();
    expect(probe.max).toEqual({ changes: 1, outcomesBatch: 1 });
    expect(results.every((s) => s.cursor === 10)).toBe(true);
    expect(mock.committedOutcomeIds()).toHaveLength(6);
    expect(sync.status().outboxPending).toBe(0);
  });

  it('shows going offline in its status instead of throwing, and recovers', async () => {
    mock.put('customer', makeCustomer(1));
    const sync = start(sessionApi());
    cache.outbox.record(makeDraft(), 'agent-a', new Date());
    mock.faults.setDown(true);
    const offline = await sync.syncNow();
    expect(offline).toMatchObject({ online: false, outboxPending: 1, cursor: 0, lastError: 'central API unreachable' });
    expect(db.prepare('SELECT attempts, last_error FROM outbox').get()).toEqual({ attempts: 1, last_error: 'central API unreachable' });

    mock.faults.setDown(false);
    db.prepare('UPDATE outbox SET next_attempt_at = 0').run(); // skip the backoff wait
    const back = await sync.syncNow();
    expect(back).toMatchObject({ online: true, outboxPending: 0, cursor: 1, lastError: null });
    expect(statuses.map((s) => s.online)).toEqual(expect.arrayContaining([false, true]));
  });

  it('reports a refused token as an error that asks for a new login', async () => {
    token = 'expired';
    const status = await start(sessionApi()).syncNow();
    expect(status.online).toBe(true);
    expect(status.lastError).toMatch(/log in again/);
  });

  it('runs on its timers: uploads due outcomes and pulls new changes without being asked', async () => {
    engine = createSyncEngine({
      api: sessionApi(),
      cache,
      agentId: 'agent-a',
      now: () => new Date(),
      pullIntervalMs: 30,
      uploadIntervalMs: 10,
    });
    engine.start();
    cache.outbox.record(makeDraft(), 'agent-a', new Date());
    mock.put('customer', makeCustomer(1));
    await until(() => mock.committedOutcomeIds().length === 1 && cache.syncState.cursor() === 1);
  });
});
