// The desk backend: the one implementation of the desk contract (shared/contract/desk-api.ts).
// It owns the SQLite cache (the single writer), validates every input at the boundary, and keeps
// the desk useful offline: cards and outcomes work from the cache, the outbox drains later.
// The operations live in operations/, one module per concern; this file composes them.
import { deskContract, isDeskOperation, type DeskEvent, type DeskOperation, type DeskResult } from '../shared/contract/desk-api';
import { openCacheCheckingInBackground } from '../db/cache/open-cache';
import type { BackoffPolicy } from '../db/outbox/backoff';
import { createCentralApiClient } from './central-api/central-api-client';
import { createDeskCacheStores } from './desk-cache-stores';
import { createDeskRevocation } from './desk-revocation';
import { describeIssues, toDeskFailure } from './desk-failure';
import { createScreenPopTimes, startDeskHealthReports } from './desk-health-report';
import { timed } from './handler-timing';
import { cardAndInteractionOperations } from './operations/card-and-interactions';
import { customerEventOperations } from './operations/customer-events';
import type { DeskContext, Handlers } from './operations/desk-context';
import { idCheckOperations } from './operations/id-check';
import { createCardOpener, createCardOpeners } from './operations/open-card';
import { outcomeOperations } from './operations/outcomes';
import { reportOperations } from './operations/reports';
import { searchAndOutboundOperations } from './operations/search-and-outbound';
import { sessionOperations } from './operations/session';
import { syncOperations } from './operations/sync';
import { createSessionHolder } from './session-holder';

export interface DeskBackendOptions {
  cachePath: string;
  /** better-sqlite3-multiple-ciphers built for the running runtime when it is not Node (see openCache). */
  sqliteBinding?: string;
  /** The key the cache is encrypted with (Electron main: cache-key.ts; browser mode: desk-backend/hosting/cache-key-file.ts); without one the file is plain (tests, tools). */
  cacheKey?: string;
  apiUrl: string;
  fetch?: typeof fetch;
  now?: () => Date;
  pullIntervalMs?: number;
  uploadIntervalMs?: number;
  logger?: { warn(msg: string): void };
  /** Outbox retry delays; tests shorten them. Defaults to OUTBOX_BACKOFF (1 s doubling, capped at 60 s). */
  retryBackoff?: BackoffPolicy;
  /** How often the desk reports its health to the central API; default 60 s. */
  healthReportIntervalMs?: number;
}

export interface DeskBackend {
  /** Settles when the background check of the whole cache file is done (rejects when it found it corrupt); a login waits for it. */
  cacheChecked: Promise<void>;
  /** Settles when the revocation check made at start, and any wipe of a revoked desk begun so far, are done. */
  revocationSettled(): Promise<void>;
  invoke(operation: string, input: unknown): Promise<DeskResult<unknown>>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * Opens the cache at once; throws CacheUnavailableError when the file cannot be used (it is left
 * untouched). The bulk replica tables are checked in the background: a login waits for that check
 * and fails with cache_unavailable when it finds the file corrupt.
 */
export function createDeskBackend(options: DeskBackendOptions): DeskBackend {
  const now = options.now ?? (() => new Date());
  const warn = (message: string) => (options.logger ?? console).warn(message);
  const cache = openCacheCheckingInBackground(options.cachePath, { nativeBinding: options.sqliteBinding, key: options.cacheKey });
  const stores = createDeskCacheStores(cache.db, options.retryBackoff);
  const sessions = createSessionHolder();
  const screenPops = createScreenPopTimes();
  const listeners = new Set<(event: DeskEvent) => void>();

  function emit(event: DeskEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        warn(`a desk event listener threw on a ${event.type} event`);
      }
    }
  }

  // The cache's device id names this desk to the central API (sessions are bound to it; an administrator can revoke it).
  let deviceId: string | undefined;
  const deskId = () => (deviceId ??= stores.sync.syncState.deviceId());

  const context: DeskContext = {
    options,
    now,
    warn,
    api: createCentralApiClient({ baseUrl: options.apiUrl, fetch: options.fetch, deskId, onDeskRevoked: () => revocation.refused() }),
    stores,
    sessions,
    emit,
    openCard: createCardOpener(sessions, stores.auditOutbox, now),
  };
  const cardOpeners = createCardOpeners(context);
  const handlers: Handlers = {
    ...sessionOperations(context, cardOpeners.byPhone),
    ...cardAndInteractionOperations(context, cardOpeners),
    ...outcomeOperations(context),
    ...customerEventOperations(context),
    ...searchAndOutboundOperations(context),
    ...idCheckOperations(context),
    ...reportOperations(context),
    ...syncOperations(context),
  };

  const revocation = createDeskRevocation({ db: cache.db, api: context.api, deskId, sessions, cacheChecked: cache.checked, emit, warn });
  const startCheck = new AbortController();
  void revocation.checkAtStart(startCheck.signal);

  const healthReports = startDeskHealthReports({
    session() {
      const active = sessions.current();
      return active && { send: (report) => active.runtime.api.deskHealth(report), syncStatus: () => active.runtime.engine.status() };
    },
    screenPops,
    now,
    intervalMs: options.healthReportIntervalMs,
    warn,
  });

  async function dispatch(operation: DeskOperation, input: unknown): Promise<DeskResult<unknown>> {
    const parsed = deskContract[operation].input.safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'bad_request', message: describeIssues(parsed.error) } };
    // The schema just checked `parsed.data` against this operation; TypeScript cannot correlate the
    // operation key with its handler's parameter, hence the one widening cast.
    const handler = handlers[operation] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  }

  return {
    cacheChecked: cache.checked,
    revocationSettled: () => revocation.settled(),
    async invoke(operation, input) {
      if (!isDeskOperation(operation)) return { ok: false, error: { code: 'bad_request', message: 'unknown desk operation' } };
      if (sessions.closed) return { ok: false, error: { code: 'cache_unavailable', message: 'the desk backend is closed' } };
      try {
        // Cards, sync and the outbox are used only within a session, so none begins before the
        // whole file passed its check.
        if (operation === 'session/login') await cache.checked;
        return await timed(operation, warn, () => dispatch(operation, input), screenPops.observe);
      } catch (error) {
        const failure = toDeskFailure(error);
        if (failure.code === 'internal') warn(`desk handler ${operation} failed: ${error instanceof Error ? error.name : typeof error}`);
        return { ok: false, error: failure };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (sessions.closed) return;
      healthReports.stop();
      startCheck.abort();
      await sessions.close();
      await revocation.settled();
      listeners.clear();
      await cache.close();
    },
  };
}
