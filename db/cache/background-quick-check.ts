// SQLite's quick_check of a whole cache file on a worker thread, on its own read-only
// connection: a million-customer cache takes seconds to check, and better-sqlite3(-multiple-ciphers) blocks the
// thread it runs on, so on the desk's own thread the check would hold up every request. The
// worker plumbing (startSqliteWorker) also runs the encryption of a plain cache (plain-cache-encryption.ts).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SQLITE_MODULE, cipherWorkerData } from './cache-cipher';

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

// Every worker body runs between these two (startSqliteWorker): the preamble gives it `open`,
// `keyed` and `quickCheck` on the worker's one connection; the runner posts what its `run()`
// returns as the outcome, or the failure it threw, and closes the connection either way.
// Evaluated as CommonJS in the worker, so it needs no file of its own beside the Electron bundle.
const WORKER_PREAMBLE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteModule);
let db;
/** Opens the worker's one connection to the cache file, which must exist, with the body's own options. */
function open(options) {
  db = new Database(workerData.path, { ...options, fileMustExist: true, nativeBinding: workerData.nativeBinding });
  return db;
}
/** Sets the cipher and the key, when the cache has one, before the connection's first read. */
function keyed(connection) {
  if (workerData.keyPhrase) {
    connection.pragma(workerData.cipherPragma);
    connection.key(Buffer.from(workerData.keyPhrase));
  }
  return connection;
}
function quickCheck(connection) {
  const problems = connection.pragma('quick_check').map((row) => row.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? { kind: 'ok' } : { kind: 'problems', problems };
}
`;
const WORKER_RUNNER = `
try {
  parentPort.postMessage(run());
} catch (error) {
  parentPort.postMessage({ kind: 'failed', code: typeof error.code === 'string' ? error.code : null, message: String(error.message) });
} finally {
  if (db) db.close();
}
`;

const QUICK_CHECK_BODY = `
function run() {
  return quickCheck(keyed(open({ readonly: true })));
}
`;

/** The SQLite module as this module loads it: `require` in the Electron CommonJS bundle, resolved from here under ESM. */
function sqliteModuleEntry(): string {
  return typeof require === 'function' ? require.resolve(SQLITE_MODULE) : createRequire(import.meta.url).resolve(SQLITE_MODULE);
}

/**
 * Runs `body`, CommonJS defining `function run()` that returns the outcome, on a worker thread
 * between the shared preamble and runner (above), with `workerData` (the cache's `path`, its
 * `nativeBinding`, cipherWorkerData's key) and the desk's SQLite module's entry as workerData.sqliteModule.
 */
export function startSqliteWorker<Outcome>(body: string, workerData: Record<string, unknown>): SqliteWorker<Outcome> {
  const source = WORKER_PREAMBLE + body + WORKER_RUNNER;
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
  return startSqliteWorker<QuickCheckOutcome>(QUICK_CHECK_BODY, { path, nativeBinding: options.nativeBinding, ...cipherWorkerData(options.key) });
}
