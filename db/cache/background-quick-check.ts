// SQLite's quick_check of a whole cache file on a worker thread, on its own read-only
// connection: a million-customer cache takes seconds to check, and better-sqlite3(-multiple-ciphers) blocks the
// thread it runs on, so on the desk's own thread the check would hold up every request.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CACHE_CIPHER_PRAGMA, SQLITE_MODULE, rawKeyPhrase } from './cache-cipher';

export type QuickCheckOutcome = { kind: 'ok' } | { kind: 'problems'; problems: string[] } | { kind: 'failed'; code: string | null; message: string };

export interface BackgroundQuickCheck {
  /** Settles once: the check's outcome, or a failure when the thread ended without one. */
  outcome: Promise<QuickCheckOutcome>;
  /** Ends the check early (the cache is closing); its outcome is then a failure. */
  stop(): Promise<void>;
}

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

export interface QuickCheckOptions {
  nativeBinding?: string;
  /** The encrypted cache's key (db/cache/cache-cipher.ts); the check reads the file as the desk does. */
  key?: string;
}

export function startBackgroundQuickCheck(path: string, options: QuickCheckOptions = {}): BackgroundQuickCheck {
  const cipher = options.key === undefined ? {} : { cipherPragma: CACHE_CIPHER_PRAGMA, keyPhrase: rawKeyPhrase(options.key).toString() };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, nativeBinding: options.nativeBinding, sqliteModule: sqliteModuleEntry(), ...cipher },
  });
  const outcome = new Promise<QuickCheckOutcome>((resolve) => {
    worker.once('message', (message: QuickCheckOutcome) => resolve(message));
    worker.once('error', (error) => resolve({ kind: 'failed', code: null, message: error.message }));
    worker.once('exit', () => resolve({ kind: 'failed', code: null, message: 'the check stopped before it finished' }));
  });
  return {
    outcome,
    async stop() {
      await worker.terminate();
    },
  };
}
