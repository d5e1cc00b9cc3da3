// Encrypts in place, on a worker thread, the plain cache a desk installed before the encryption
// kept (README "Personal data (PIPL)"). Checking and rewriting every page takes seconds at 50,000
// customers, and better-sqlite3(-multiple-ciphers) blocks the thread it runs on: on the host's
// thread it would stop the web host answering every other user's desk meanwhile.
import { cipherWorkerData, startSqliteWorker, type QuickCheckOutcome, type SqliteWorker } from './background-quick-check';

/** `encrypted`: the plain file was checked and rekeyed; `not plain`: it opens with the key already, or does not open plain either (the open then says why). */
export type PlainCacheEncryptionOutcome = { kind: 'encrypted' } | { kind: 'not plain' } | Exclude<QuickCheckOutcome, { kind: 'ok' }>;

export interface PlainCacheEncryptionOptions {
  /** The 256-bit key as 64 hex digits (cache-cipher.ts). */
  key: string;
  nativeBinding?: string;
  /**
   * For tests: the worker stops once the plain file passed its check, sets cell 1 and waits
   * until cell 0 is set (Atomics on a SharedArrayBuffer), so a test can act while it is under way.
   */
  rekeyLatch?: Int32Array;
}

// Evaluated as CommonJS in the worker, so it needs no file of its own beside the Electron bundle.
// The keyed read comes first, as every open of an encrypted cache: once encrypted, a file is never read plain.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteModule);
const connect = () => new Database(workerData.path, { fileMustExist: true, timeout: workerData.busyTimeoutMs, nativeBinding: workerData.nativeBinding });
function reads(db) {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return true;
  } catch (error) {
    if (error.code === 'SQLITE_NOTADB') return false;
    throw error;
  }
}
function encryptIfPlain() {
  db = connect();
  db.pragma(workerData.cipherPragma);
  db.key(Buffer.from(workerData.keyPhrase));
  if (reads(db)) return { kind: 'not plain' };
  db.close();
  db = connect();
  if (!reads(db)) return { kind: 'not plain' };
  // Checked before a byte is written, as every cache is.
  const problems = db.pragma('quick_check').map((row) => row.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok') return { kind: 'problems', problems };
  const latch = workerData.rekeyLatch;
  if (latch) {
    Atomics.store(latch, 1, 1);
    Atomics.notify(latch, 1);
    Atomics.wait(latch, 0, 0);
  }
  // SQLite3MultipleCiphers cannot rekey in WAL mode; leaving it checkpoints the log into the file.
  // The rekey rewrites every page in one transaction under a rollback journal: a crash part-way
  // leaves a journal the next read rolls back, and the conversion starts again, nothing lost.
  db.pragma('journal_mode = DELETE');
  db.pragma(workerData.cipherPragma);
  const status = db.rekey(Buffer.from(workerData.keyPhrase));
  if (status !== 0) return { kind: 'failed', code: null, message: 'SQLite3MultipleCiphers refused the cache key (rekey: SQLite status ' + status + ')' };
  return { kind: 'encrypted' };
}
let db;
try {
  parentPort.postMessage(encryptIfPlain());
} catch (error) {
  parentPort.postMessage({ kind: 'failed', code: typeof error.code === 'string' ? error.code : null, message: String(error.message) });
} finally {
  if (db) db.close();
}
`;

/** Starts the encryption of the plain cache at `path` (which must exist) on a worker thread. */
export function startPlainCacheEncryption(
  path: string,
  options: PlainCacheEncryptionOptions,
  busyTimeoutMs: number,
): SqliteWorker<PlainCacheEncryptionOutcome> {
  return startSqliteWorker<PlainCacheEncryptionOutcome>(WORKER_SOURCE, {
    path,
    busyTimeoutMs,
    nativeBinding: options.nativeBinding,
    rekeyLatch: options.rekeyLatch,
    ...cipherWorkerData(options.key),
  });
}
