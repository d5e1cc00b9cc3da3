// A desk backend on a temp cache, wired to a mock central API, that records the events it emits.
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach } from 'vitest';
import type { DeskEvent } from '../../../shared/contract/desk-api';
import { createDeskBackend, type DeskBackend, type DeskBackendOptions } from '../../../desk-backend/desk-backend';
import { startMockCentralApi, type MockCentralApi } from './mock-central-api';

export interface BackendHarness {
  backend: DeskBackend;
  events: DeskEvent[];
  warnings: string[];
  /** invoke() that fails the test on an error result and returns the value. */
  call<T = unknown>(operation: string, input?: unknown): Promise<T>;
  /** Logs in as `username` (the mock central API takes any password) and syncs once. */
  loginAndSync(username: string): Promise<void>;
}

/** `open` is how the host opens its desk: createDeskBackend, or openDeskBackend (a plain cache encrypted first). */
export function startBackend(
  options: Partial<DeskBackendOptions> & Pick<DeskBackendOptions, 'cachePath' | 'apiUrl'>,
  open: (options: DeskBackendOptions) => DeskBackend = createDeskBackend,
): BackendHarness {
  const warnings: string[] = [];
  const backend = open({
    pullIntervalMs: 50,
    uploadIntervalMs: 10,
    retryBackoff: { baseMs: 20, capMs: 200 },
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  const events: DeskEvent[] = [];
  backend.onEvent((event) => events.push(event));
  async function call<T>(operation: string, input: unknown = {}): Promise<T> {
    const result = await backend.invoke(operation, input);
    if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }
  return {
    backend,
    events,
    warnings,
    call,
    async loginAndSync(username) {
      await call('session/login', { username, password: 'secret' });
      await call('sync/now');
    },
  };
}

/** Reads a plain desk cache file beside the running desk (WAL lets a reader in), opened read-only for `read` alone. */
export function readCache<T>(cachePath: string, read: (db: Database.Database) => T): T {
  const db = new Database(cachePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Rows still queued in one of a plain desk cache's audit upload queues. */
export const queuedUploads = (cachePath: string, queue: 'audit_outbox' | 'discard_outbox'): number | undefined =>
  readCache(cachePath, (db) => db.prepare<[], number>(`SELECT count(*) FROM ${queue}`).pluck().get());

/** Card-view audit rows still queued in a plain desk cache. */
export const queuedAuditRows = (cachePath: string) => queuedUploads(cachePath, 'audit_outbox');

interface BackendOnMock {
  readonly mock: MockCentralApi;
  readonly h: BackendHarness;
  readonly cachePath: string;
  /** Closes the desk and opens it again on the same cache, as a desk restart does. */
  restart(): Promise<BackendHarness>;
}

/**
 * For each test: a mock central API holding what `seed` puts there, and a desk backend on a fresh
 * cache wired to it (signed in by nobody yet); both are closed after the test.
 */
export function useBackendOnMock(temp: { path(): string }, seed: (mock: MockCentralApi) => void): BackendOnMock {
  let mock: MockCentralApi | undefined;
  let h: BackendHarness | undefined;
  let cachePath: string | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useBackendOnMock: read inside a test (the desk starts in beforeEach)');
    return value;
  };
  beforeEach(async () => {
    mock = await startMockCentralApi();
    seed(mock);
    cachePath = temp.path();
    h = startBackend({ cachePath, apiUrl: mock.url });
  });
  afterEach(async () => {
    await h?.backend.close();
    await mock?.close();
    h = mock = cachePath = undefined;
  });
  return {
    get mock() {
      return started(mock);
    },
    get h() {
      return started(h);
    },
    get cachePath() {
      return started(cachePath);
    },
    async restart() {
      await started(h).backend.close();
      h = startBackend({ cachePath: started(cachePath), apiUrl: started(mock).url });
      return h;
    },
  };
}
