// Encrypts in place, on a worker thread, the plain cache a desk installed before the encryption
// kept (README "Personal data (PIPL)"). Checking and rewriting every page takes seconds at 50,000
// customers, and better-sqlite3(-multiple-ciphers) blocks the thread it runs on: on the host's
// thread it would stop the web host answering every other user's desk meanwhile.
import { startSqliteWorker, type QuickCheckOutcome, type SqliteWorker } from './background-quick-check';
import { cipherWorkerData } from './cache-cipher';

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

// The worker's body (startSqliteWorker gives it open, keyed, quickCheck and posts what run() returns).
// encryptPlainCache read the file with the key first, as every open of an encrypted cache does
// (once encrypted, a file is never read plain), so here it is opened plain.
const ENCRYPTION_BODY = `
function readsPlain() {
  try {
    open({ timeout: workerData.busyTimeoutMs }).prepare('SELECT count(*) FROM sqlite_schema').get();
    return true;
  } catch (error) {
    if (error.code === 'SQLITE_NOTADB') return false;
    throw error;
  }
}
function run() {
  if (!readsPlain()) return { kind: 'not plain' };
  // Checked before a byte is written, as every cache is.
  const check = quickCheck(db);
  if (check.kind !== 'ok') return check;
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
`;

/** Starts the encryption of the plain cache at `path` (which must exist) on a worker thread. */
export function startPlainCacheEncryption(
  path: string,
  options: PlainCacheEncryptionOptions,
  busyTimeoutMs: number,
): SqliteWorker<PlainCacheEncryptionOutcome> {
  return startSqliteWorker<PlainCacheEncryptionOutcome>(ENCRYPTION_BODY, {
    path,
    busyTimeoutMs,
    nativeBinding: options.nativeBinding,
    rekeyLatch: options.rekeyLatch,
    ...cipherWorkerData(options.key),
  });
}
