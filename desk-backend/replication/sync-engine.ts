// One sync engine per logged-in session. Download: pull change pages until caught up, each
// applied with its cursor in one transaction, then the scoring bundle if it changed. The feed is
// of the desk's cache scope: when the server names another scope, the cache starts over and
// downloads it (scope-cache.ts); customers cached after a miss leave when their day is over. Upload: drain
// the outcome, customer-event and card-view audit outboxes in batches, resending the same ids
// after a failure. Being offline is a state shown in status(), never a throw. While the desk's
// WebSocket carries "changes available" hints the engine pulls when told (and on a long safety
// interval); while it is down the engine polls as before. A ringing call goes first: the download
// waits for the caller's card (giveWay) before it writes its next slice or page.
import type { ScopedSyncChangesResponse } from '../../shared/contract/cache-scope';
import { OUTCOME_BATCH_MAX, type SyncChangesResponse } from '../../shared/contract/central-api';
import { CUSTOMER_EVENT_BATCH_MAX } from '../../shared/contract/customer-events';
import { AUDIT_BATCH_MAX } from '../../shared/contract/card-view-audit';
import type { SyncStatus } from '../../shared/contract/desk-api';
import type { AppliedPage } from '../../db/replica/apply-changes';
import { changePageSlices } from '../../db/replica/change-page-slices';
import { CentralApiError, type SessionApi } from '../central-api/central-api-client';
import type { ScoringBundleCache } from '../../db/cache/scoring-bundle-cache';
import type { AuditOutbox, AuditQueue, DiscardOutbox } from '../../db/outbox/audit-outbox';
import type { EventOutbox } from '../../db/outbox/event-outbox';
import type { Outbox } from '../../db/outbox/outbox';
import { refreshScoringBundle } from './scoring-bundle-sync';
import { singleFlight } from './single-flight';
import type { ScopeCache } from '../../db/replica/scope-cache';
import { ScopeChangedError, type SnapshotBootstrap } from '../../db/replica/snapshot-bootstrap';
import type { SyncStateStore } from '../../db/replica/sync-state';
import type { SyncStatusReader } from '../../db/replica/sync-status';

/** The cache operations the engine drives; created once per open cache by the backend. */
export interface SyncCache {
  applyPage(page: SyncChangesResponse): AppliedPage;
  outbox: Outbox;
  auditOutbox: AuditOutbox;
  discardOutbox: DiscardOutbox;
  eventOutbox: EventOutbox;
  scoringBundles: ScoringBundleCache;
  syncState: SyncStateStore;
  readStatus: SyncStatusReader;
  /** Fills a new cache from GET /sync/snapshot before the change feed takes over. */
  bootstrap: SnapshotBootstrap;
  /** The cache scope held, and the customers cached beyond it after a miss. */
  scope: ScopeCache;
}

/** The central API calls the engine makes, each with the session's current access token. */
export type SyncApi = Pick<
  SessionApi,
  'changes' | 'snapshot' | 'outcomesBatch' | 'auditCardViews' | 'interactionDiscards' | 'customerEventsBatch' | 'scoringBundle'
>;

export interface SyncEngineOptions {
  api: SyncApi;
  cache: SyncCache;
  /**
   * The signed-in agent: this session uploads the outcomes, customer events and audit rows they
   * recorded, and leaves other agents' for their own sessions (outbox.ts, audit-outbox.ts).
   */
  agentId: string;
  /** Domain clock for timestamps (lastSyncAt, dead_at); scheduling always uses real time. */
  now: () => Date;
  /** How often to pull while no hints arrive (no WebSocket, or an older server). */
  pullIntervalMs?: number;
  /** How often to pull anyway while hints arrive: a lost hint costs at most this much delay. */
  safetyPullIntervalMs?: number;
  uploadIntervalMs?: number;
  pageSize?: number;
  onStatus?: (status: SyncStatus) => void;
  onPageApplied?: (page: AppliedPage) => void;
  /** Problems that lose nothing but deserve a log line (a refused scoring bundle). */
  warn?: (message: string) => void;
}

/** One upload queue as the engine drains it: the outcome outbox and the customer-event outbox. */
interface UploadQueue<Item> {
  takeDue(limit: number, nowMs: number): Item[];
  idOf(item: Item): string;
  /** Sends a batch and applies the answer; returns the ids the server answered for. */
  send(batch: Item[]): Promise<readonly string[]>;
  recordFailedAttempt(ids: readonly string[], error: string, nowMs: number): void;
}

export interface SyncEngine {
  start(): void;
  /** Upload and download now (joining any run in flight); resolves with the status afterwards. */
  syncNow(): Promise<SyncStatus>;
  /** Start an upload without waiting, e.g. right after an outcome or a card view was recorded. */
  kickUpload(): void;
  status(): SyncStatus;
  /** Emit the status if it changed (after a local write the engine did not make). */
  publishStatus(): void;
  /** The server committed synced rows up to `seq`: pull if the cache is behind it. */
  changesAvailable(seq: number): void;
  /** Hints arrive (true) or stopped arriving (false): pull on the safety interval, or poll. */
  setHintsLink(up: boolean): void;
  /** Work an agent is waiting for (a ringing caller's card): the download writes nothing more until it settles. */
  giveWay(work: Promise<unknown>): void;
  stop(): Promise<void>;
}

export const DEFAULT_PULL_INTERVAL_MS = 10_000;
export const DEFAULT_SAFETY_PULL_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_UPLOAD_INTERVAL_MS = 1000;
export const DEFAULT_PAGE_SIZE = 5000; // the server maximum: fewer round trips in an initial sync
/** The longest the download waits for one ringing caller's card: by then the agent has answered. */
export const GIVE_WAY_AT_MOST_MS = 3000;

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { api, cache, now } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const aborter = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let online = true; // the session was just created by a successful login
  let stopped = false;
  let started = false;
  let hintsUp = false;
  let pullTimer: NodeJS.Timeout | null = null;
  const errors: Record<'pull' | 'upload' | 'events' | 'audit' | 'discards', string | null> = {
    pull: null,
    upload: null,
    events: null,
    audit: null,
    discards: null,
  };
  let lastPublished = '';

  const status = (): SyncStatus => cache.readStatus(online);

  function publishStatus(): void {
    if (stopped) return;
    const current = status();
    const serialized = JSON.stringify(current);
    if (serialized === lastPublished) return;
    lastPublished = serialized;
    options.onStatus?.(current);
  }

  /** Records how an operation ended; the persisted lastError favours upload problems (they risk data). */
  function settle(operation: keyof typeof errors, error: unknown): void {
    if (error === null) online = true;
    else if (error instanceof CentralApiError) online = error.kind !== 'offline';
    errors[operation] = error === null ? null : describe(error);
    const lastError = errors.upload ?? errors.events ?? errors.audit ?? errors.discards ?? errors.pull;
    if (lastError !== cache.syncState.lastError()) cache.syncState.setLastError(lastError);
  }

  // Ringing calls' cards being built. SQLite writes are synchronous, so a download writing while a
  // call rings holds the caller's card back (its server answer, its own write) until the write ends.
  const waitedFor = new Set<Promise<unknown>>();
  /** One turn of the event loop, then until the cards an agent waits for are out (a hung one holds the download only so long). */
  async function yieldToWaitingWork(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (waitedFor.size === 0) return;
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waitedFor), new Promise((resolve) => (cap = setTimeout(resolve, GIVE_WAY_AT_MOST_MS)))]);
    clearTimeout(cap);
  }

  // A server without GET /sync/snapshot (404) is synced from its change feed alone.
  let snapshotSupported = true;
  async function bootstrap(): Promise<void> {
    try {
      await cache.bootstrap.run((entity, afterKey, limit) => api.snapshot(entity, afterKey, limit, aborter.signal), options.onPageApplied, yieldToWaitingWork);
    } catch (error) {
      if (!(error instanceof CentralApiError && error.status === 404)) throw error;
      snapshotSupported = false;
    }
  }

  /** Downloads until caught up; 'new_scope' when the server reads another scope for this desk than the cache holds. */
  async function download(): Promise<'caught_up' | 'new_scope'> {
    // The next page is requested before the current one is applied, so the server prepares it
    // while SQLite writes: an initial sync takes about the longer of the two, not their sum.
    let next: Promise<ScopedSyncChangesResponse> | undefined;
    try {
      if (snapshotSupported && cache.bootstrap.needed()) await bootstrap();
      const held = cache.scope.held() ?? undefined;
      next = api.changes(cache.syncState.cursor(), pageSize, aborter.signal, held);
      while (next) {
        const after = cache.syncState.cursor();
        const page = await next;
        next = undefined;
        if (stopped) return 'caught_up';
        if (page.scope !== undefined && held !== undefined && page.scope !== held) return 'new_scope';
        // A desk that held nothing names the scope of its first page from then on (past the start, the server takes an unnamed cache for the whole book).
        if (page.hasMore && page.nextCursor > after) next = api.changes(page.nextCursor, pageSize, aborter.signal, held ?? page.scope);
        // Named before any of the page is written, so a desk stopped between slices never holds scoped rows unnamed.
        if (held === undefined && page.scope !== undefined) cache.scope.record(page.scope);
        let cursor = after;
        for (const slice of changePageSlices(page)) {
          await yieldToWaitingWork();
          if (stopped) return 'caught_up';
          const applied = cache.applyPage(slice);
          cursor = applied.cursor;
          options.onPageApplied?.(applied);
        }
        if (!page.hasMore) break;
        if (cursor <= after) throw new Error('the server reported more changes but its cursor did not advance');
      }
      return 'caught_up';
    } catch (error) {
      if (error instanceof ScopeChangedError) return 'new_scope';
      throw error;
    } finally {
      next?.catch(() => undefined); // a prefetch still in flight must not surface as an unhandled rejection
    }
  }

  /** The next pull nobody asked for: after each pull, and anew when the hints link changes. */
  function armPullTimer(): void {
    if (pullTimer !== null) clearTimeout(pullTimer);
    pullTimer = null;
    if (stopped || !started) return;
    const interval = hintsUp ? (options.safetyPullIntervalMs ?? DEFAULT_SAFETY_PULL_INTERVAL_MS) : (options.pullIntervalMs ?? DEFAULT_PULL_INTERVAL_MS);
    pullTimer = setTimeout(() => void pull.run(), interval);
    // The desk process exits on its own terms; sync timers must not keep it alive.
    pullTimer.unref();
  }

  const pull = singleFlight(async () => {
    if (stopped) return;
    armPullTimer();
    try {
      // A desk given another scope downloads it afresh, once per pull: a scope changing again waits for the next pull.
      if ((await download()) === 'new_scope' && !stopped) {
        cache.scope.startOver();
        if ((await download()) === 'new_scope') throw new Error('the cache scope changed again during the download; retrying at the next sync');
      }
      if (stopped) return;
      cache.scope.dropExpiredVisitors(now());
      await refreshScoringBundle(api, cache.scoringBundles, options.warn ?? (() => undefined), aborter.signal);
      cache.syncState.setLastSyncAt(now().toISOString());
      settle('pull', null);
    } catch (error) {
      if (stopped) return;
      settle('pull', error);
    }
    publishStatus();
  });

  /** Drains one queue until it is empty or its head backs off; the same ids are resent after a failure. */
  const uploader = <Item>(operation: 'upload' | 'events' | 'audit' | 'discards', batchMax: number, queue: UploadQueue<Item>) =>
    singleFlight(async () => {
      if (stopped) return;
      let sent = false;
      try {
        for (;;) {
          const batch = queue.takeDue(batchMax, Date.now());
          if (batch.length === 0 || stopped) break;
          sent = true;
          const ids = batch.map(queue.idOf);
          try {
            const answered = new Set(await queue.send(batch));
            // Items the server did not answer for stay queued, with backoff, so the loop cannot spin on them.
            const unanswered = ids.filter((id) => !answered.has(id));
            if (unanswered.length > 0) queue.recordFailedAttempt(unanswered, 'no result from the server', Date.now());
          } catch (error) {
            // Same ids next time: the server treats a resend as a duplicate, so a lost response is safe.
            queue.recordFailedAttempt(ids, describe(error), Date.now());
            throw error;
          }
        }
        // Nothing sent says nothing about the network (another queue may just have found it down).
        if (sent) settle(operation, null);
      } catch (error) {
        if (stopped) return;
        settle(operation, error);
      }
      publishStatus();
    });

  const upload = uploader('upload', OUTCOME_BATCH_MAX, {
    takeDue: (limit, nowMs) => cache.outbox.takeDue(options.agentId, limit, nowMs),
    idOf: (item) => item.outcomeId,
    async send(items) {
      const response = await api.outcomesBatch({ deviceId: cache.outbox.deviceId(), items }, aborter.signal);
      cache.outbox.applyResults(response, now());
      return response.results.map((r) => r.outcomeId);
    },
    recordFailedAttempt: (ids, error, nowMs) => cache.outbox.recordFailedAttempt(ids, error, nowMs),
  });

  const uploadEvents = uploader('events', CUSTOMER_EVENT_BATCH_MAX, {
    takeDue: (limit, nowMs) => cache.eventOutbox.takeDue(options.agentId, limit, nowMs),
    idOf: (item) => item.eventId,
    async send(items) {
      const response = await api.customerEventsBatch({ deviceId: cache.outbox.deviceId(), items }, aborter.signal);
      cache.eventOutbox.applyResults(response);
      return response.results.map((r) => r.eventId);
    },
    recordFailedAttempt: (ids, error, nowMs) => cache.eventOutbox.recordFailedAttempt(ids, error, nowMs),
  });

  // The server answers a whole audit batch (stored + duplicates), so the batch leaves together.
  // A batch holds the signed-in agent's rows only: the server refuses one with another agent's row whole.
  const auditUploader = <Row>(operation: 'audit' | 'discards', queue: AuditQueue<Row>, send: (items: Row[]) => Promise<unknown>) =>
    uploader(operation, AUDIT_BATCH_MAX, {
      takeDue: (limit, nowMs) => queue.takeDue(options.agentId, limit, nowMs),
      idOf: (row) => queue.idOf(row),
      async send(items) {
        await send(items);
        const ids = items.map((row) => queue.idOf(row));
        queue.acknowledge(ids);
        return ids;
      },
      recordFailedAttempt: (ids, error, nowMs) => queue.recordFailedAttempt(ids, error, nowMs),
    });
  const uploadAudit = auditUploader('audit', cache.auditOutbox, (items) => api.auditCardViews({ deviceId: cache.outbox.deviceId(), items }, aborter.signal));
  const uploadDiscards = auditUploader('discards', cache.discardOutbox, (items) =>
    api.interactionDiscards({ deviceId: cache.outbox.deviceId(), items }, aborter.signal),
  );

  /** Every upload queue with when its head is due: each drains on its own, none waits for another. */
  const uploads = [
    { flight: upload, dueAt: () => cache.outbox.nextDueAt(options.agentId) },
    { flight: uploadEvents, dueAt: () => cache.eventOutbox.nextDueAt(options.agentId) },
    { flight: uploadAudit, dueAt: () => cache.auditOutbox.nextDueAt(options.agentId) },
    { flight: uploadDiscards, dueAt: () => cache.discardOutbox.nextDueAt(options.agentId) },
  ];
  const uploadAll = () => uploads.map(({ flight }) => flight.run());

  function uploadIfDue(): void {
    for (const { flight, dueAt } of uploads) {
      const due = dueAt();
      if (due !== null && due <= Date.now()) void flight.run();
    }
  }

  return {
    start() {
      if (stopped || started) return;
      started = true;
      timers.push(setInterval(uploadIfDue, options.uploadIntervalMs ?? DEFAULT_UPLOAD_INTERVAL_MS));
      for (const timer of timers) timer.unref();
      void uploadAll();
      void pull.run();
    },
    async syncNow() {
      await Promise.all([...uploadAll(), pull.run()]);
      return status();
    },
    kickUpload() {
      void uploadAll();
    },
    status,
    publishStatus,
    changesAvailable(seq) {
      // A hint can still arrive on a closing socket after stop(), when the cache may be closed too.
      if (started && !stopped && seq > cache.syncState.cursor()) void pull.run();
    },
    setHintsLink(up) {
      hintsUp = up;
      armPullTimer();
    },
    giveWay(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      waitedFor.add(settled);
      void settled.then(() => waitedFor.delete(settled));
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      if (pullTimer !== null) clearTimeout(pullTimer);
      aborter.abort();
      await Promise.all([pull.idle(), ...uploads.map(({ flight }) => flight.idle())]);
    },
  };
}

/** A short message for status and the outbox's last_error: classified, never a stack trace. */
function describe(error: unknown): string {
  if (error instanceof CentralApiError) return error.kind === 'unauthenticated' ? 'central API refused the session: log in again' : error.message;
  return `sync failed: ${error instanceof Error ? error.message : String(error)}`;
}
