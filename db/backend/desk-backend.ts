// The desk backend: the one implementation of the desk contract (shared/contract/desk-api.ts).
// It owns the SQLite cache (the single writer), validates every input at the boundary, and keeps
// the desk useful offline: cards and outcomes work from the cache, the outbox drains later.
import type { z } from 'zod';
import {
  deskContract,
  isDeskChannel,
  type DeskChannel,
  type DeskContract,
  type DeskEvent,
  type DeskOutput,
  type DeskResult,
  type Session,
} from '../../shared/contract/desk-api';
import { createCardQuery } from '../cache/card-query';
import { openCache } from '../cache/open-cache';
import { createChangeApplier } from '../sync/apply-changes';
import { createCentralApiClient } from '../sync/central-api-client';
import type { BackoffPolicy } from '../sync/backoff';
import { createOutbox } from '../sync/outbox';
import type { SyncCache } from '../sync/sync-engine';
import { createSyncStateStore } from '../sync/sync-state';
import { createSyncStatusReader } from '../sync/sync-status';
import { DeskError, describeIssues, toDeskFailure } from './desk-failure';
import { timed } from './handler-timing';
import { startSessionRuntime, type SessionRuntime } from './session-runtime';

export interface DeskBackendOptions {
  cachePath: string;
  apiUrl: string;
  fetch?: typeof fetch;
  now?: () => Date;
  pullIntervalMs?: number;
  uploadIntervalMs?: number;
  logger?: { warn(msg: string): void };
  /** Outbox retry delays; tests shorten them. Defaults to OUTBOX_BACKOFF (1 s doubling, capped at 60 s). */
  retryBackoff?: BackoffPolicy;
}

export interface DeskBackend {
  invoke(channel: string, input: unknown): Promise<DeskResult<unknown>>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
  close(): Promise<void>;
}

type Handlers = {
  [C in DeskChannel]: (input: z.output<DeskContract[C]['input']>) => Promise<DeskOutput<C>>;
};

interface ActiveSession {
  session: Session;
  runtime: SessionRuntime;
}

/** Opens the cache at once; throws CacheUnavailableError when the file cannot be used (it is left untouched). */
export function createDeskBackend(options: DeskBackendOptions): DeskBackend {
  const now = options.now ?? (() => new Date());
  const warn = (message: string) => (options.logger ?? console).warn(message);
  const db = openCache(options.cachePath);
  const syncState = createSyncStateStore(db);
  const outbox = createOutbox(db, { backoff: options.retryBackoff });
  const cardQuery = createCardQuery(db);
  const cache: SyncCache = {
    applyPage: createChangeApplier(db),
    outbox,
    syncState,
    readStatus: createSyncStatusReader(db, syncState, outbox),
  };
  const api = createCentralApiClient({ baseUrl: options.apiUrl, fetch: options.fetch });
  const listeners = new Set<(event: DeskEvent) => void>();
  let active: ActiveSession | null = null;
  let closed = false;
  // Login and logout replace the session; running them one after another keeps two logins
  // from both starting a sync engine.
  let sessionChanges: Promise<unknown> = Promise.resolve();

  function emit(event: DeskEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        warn(`a desk event listener threw on a ${event.type} event`);
      }
    }
  }

  function changeSession<T>(change: () => Promise<T>): Promise<T> {
    const next = sessionChanges.then(change, change);
    sessionChanges = next.catch(() => undefined);
    return next;
  }

  async function endSession(): Promise<boolean> {
    const ending = active;
    active = null;
    if (ending === null) return false;
    await ending.runtime.stop();
    return true;
  }

  function requireSession(): ActiveSession {
    if (active === null) throw new DeskError('unauthenticated', 'log in first');
    return active;
  }

  const handlers: Handlers = {
    'session/login': (input) =>
      changeSession(async () => {
        const login = await api.login(input);
        if (closed) throw new DeskError('cache_unavailable', 'the desk backend is closed');
        await endSession();
        const session: Session = {
          agentId: login.user.id,
          role: login.user.role,
          displayName: login.user.displayName,
          expiresAt: login.expiresAt,
        };
        const runtime = startSessionRuntime({
          api,
          apiUrl: options.apiUrl,
          login,
          cache,
          now,
          pullIntervalMs: options.pullIntervalMs,
          uploadIntervalMs: options.uploadIntervalMs,
          emit,
          onPageApplied: (page) => {
            if (page.touched.has('offer')) cardQuery.invalidateOffers();
          },
          warn,
        });
        active = { session, runtime };
        emit({ type: 'session', session });
        return session;
      }),
    'session/logout': () =>
      changeSession(async () => {
        if (await endSession()) emit({ type: 'session', session: null });
        return { ok: true as const };
      }),
    'session/current': async () => active?.session ?? null,
    'card/byPhone': async (input) => cardQuery.cardByPhone(input.phone, now()),
    'outcome/record': async (draft) => {
      const { session, runtime } = requireSession();
      const recorded = outbox.record(draft, session.agentId, now());
      runtime.engine.publishStatus();
      runtime.engine.kickUpload();
      return { outcomeId: recorded.outcomeId, outboxPending: recorded.outboxPending };
    },
    'sync/status': async () => active?.runtime.engine.status() ?? cache.readStatus(false),
    'sync/now': async () => requireSession().runtime.engine.syncNow(),
  };

  async function dispatch(channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>> {
    const parsed = deskContract[channel].input.safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'bad_request', message: describeIssues(parsed.error) } };
    // The schema just checked `parsed.data` against this channel; TypeScript cannot correlate the
    // channel key with its handler's parameter, hence the one widening cast.
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  }

  return {
    async invoke(channel, input) {
      if (!isDeskChannel(channel)) return { ok: false, error: { code: 'bad_request', message: 'unknown desk channel' } };
      if (closed) return { ok: false, error: { code: 'cache_unavailable', message: 'the desk backend is closed' } };
      try {
        return await timed(channel, warn, () => dispatch(channel, input));
      } catch (error) {
        const failure = toDeskFailure(error);
        if (failure.code === 'internal') warn(`desk handler ${channel} failed: ${error instanceof Error ? error.name : typeof error}`);
        return { ok: false, error: failure };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await changeSession(endSession);
      listeners.clear();
      db.close();
    },
  };
}
