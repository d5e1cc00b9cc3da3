// SQLite's quick_check of a whole cache file on a worker thread, on its own read-only
// connection: a million-customer cache takes seconds to check, and better-sqlite3(-multiple-ciphers) blocks the
// thread it runs on, so on the desk's own thread the check would hold up every request. The
// worker plumbing (startSqliteWorker) also runs the encryption of a plain cache (plain-cache-encryption.ts).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CACHE_CIPHER_PRAGMA, SQLITE_MODULE, rawKeyPhrase } from './cache-cipher';

/** A worker that ended without its outcome: `code` is SQLite's when SQLite raised it. */
export type WorkerFailure = { kind: 'failed'; code: string | null; message: string };
export type QuickCheckOutcome = { kind: 'ok' } | { kind: 'problems'; problems: string[] } | WorkerFailure;

export interface SqliteWorker<Outcome> {
  /** Settles once: the worker's outcome, or a failure when the thread ended without one. */
  outcome: Promise<Outcome | WorkerFailure>;
  /** Ends the worker early (the cache is closing); its outcome is then a failure. */
  stop(): Promise<void>;
}

export type BackgroundQuickCheck = SqliteWorker<QuickCheckOutcome>;

// Evaluated as CommonJS in the worker, so it needs no file of its own beside the Electron bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteModule);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding });
  if (workerData.keyPhrase) {
    db.pragma(workerData.cipherPragma);
    db.key(Buffer.from(workerData.keyPhrase));
  }
  const problems = db.pragma('quick_check').map((row) => row.quick_check);
  parentPort.postMessage(problems.length === 1 && problems[0] === 'ok' ? { kind: 'ok' } : { kind: 'problems', problems });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', code: typeof error.code === 'string' ? error.code : null, message: String(error.message) });
} finally {
  if (db) db.close();
}
`;

/** The SQLite module as this module loads it: `require` in the Electron CommonJS bundle, resolved from here under ESM. */
function sqliteModuleEntry(): string {
  return typeof require === 'function' ? require.resolve(SQLITE_MODULE) : createRequire(import.meta.url).resolve(SQLITE_MODULE);
}

/** What a worker needs to read an encrypted cache as the desk does: the cipher and the raw key (db/cache/cache-cipher.ts). */
export function cipherWorkerData(key: string | undefined): { cipherPragma?: string; keyPhrase?: string } {
  return key === undefined ? {} : { cipherPragma: CACHE_CIPHER_PRAGMA, keyPhrase: rawKeyPhrase(key).toString() };
}

/**
 * Runs `source`, CommonJS evaluated on a worker thread, with `workerData` and the desk's SQLite
 * module's entry as workerData.sqliteModule; the first message it posts is its outcome.
 */
export function startSqliteWorker<Outcome>(source: string, workerData: Record<string, unknown>): SqliteWorker<Outcome> {
  const worker = new Worker(source, { eval: true, workerData: { ...workerData, sqliteModule: sqliteModuleEntry() } });
  const outcome = new Promise<Outcome | WorkerFailure>((resolve) => {
    worker.once('message', (message: Outcome) => resolve(message));
    worker.once('error', (error) => resolve({ kind: 'failed', code: null, message: error.message }));
    worker.once('exit', () => resolve({ kind: 'failed', code: null, message: 'the worker stopped before it finished' }));
  });
  return {
    outcome,
    async stop() {
      await worker.terminate();
    },
  };
}

export interface QuickCheckOptions {
  nativeBinding?: string;
  /** The encrypted cache's key (db/cache/cache-cipher.ts); the check reads the file as the desk does. */
  key?: string;
}

export function startBackgroundQuickCheck(path: string, options: QuickCheckOptions = {}): BackgroundQuickCheck {
  return startSqliteWorker<QuickCheckOutcome>(WORKER_SOURCE, { path, nativeBinding: options.nativeBinding, ...cipherWorkerData(options.key) });
}
