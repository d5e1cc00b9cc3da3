// Opens the desk's SQLite cache: checks the file before writing anything to it, then sets the
// connection pragmas and applies pending migrations. With a key the file is encrypted at rest
// (README "Personal data (PIPL)"); a plain cache an earlier desk kept is encrypted in place first,
// on a worker thread (encryptPlainCache), before the host opens it.
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startBackgroundQuickCheck, type QuickCheckOutcome } from './background-quick-check';
import { applyCacheKey, checkCacheKey, whyNotAnEncryptedCache } from './cache-cipher';
import { CacheUnavailableError, cacheReasonForSqliteCode } from './cache-unavailable-error';
import { FutureSchemaVersionError, LATEST_VERSION, currentVersion, migrateToLatest } from './migrations';
import { startPlainCacheEncryption, type PlainCacheEncryptionOptions } from './plain-cache-encryption';

export type CacheDb = Database.Database;

const BUSY_TIMEOUT_MS = 5000;

/**
 * The replica's million-row tables. The central API can send them again, and checking them is
 * nearly all of the seconds a large cache takes to check, so a desk checks them in the background
 * (openCacheCheckingInBackground). Every other table, including any a later migration adds, holds
 * what may exist only on this desk (outboxes, open interactions) and is checked before opening.
 */
const BULK_REPLICA_TABLES: ReadonlySet<string> = new Set(['customers', 'scores', 'name_keys', 'customer_pinyin']);

/**
 * Set CLM_DESK_TRACE_SQL=1 to log every statement's SQL text (never its bound values, so no
 * personal data reaches the log).
 */
function sqlTracer(): ((message?: unknown) => void) | undefined {
  return process.env.CLM_DESK_TRACE_SQL ? (message) => console.debug(`[sql] ${String(message)}`) : undefined;
}

function asCacheError(error: unknown, path: string): CacheUnavailableError | null {
  if (error instanceof CacheUnavailableError) return error;
  if (error instanceof FutureSchemaVersionError) return new CacheUnavailableError('future_version', path, error.message);
  if (error instanceof Database.SqliteError) {
    const reason = cacheReasonForSqliteCode(error.code);
    if (reason !== null) return new CacheUnavailableError(reason, path, `${error.code}: ${error.message}`, { cause: error });
  }
  return null;
}

const corrupt = (path: string, problems: string[]) => new CacheUnavailableError('corrupt', path, `integrity check failed: ${problems.slice(0, 3).join('; ')}`);

function refuseProblems(path: string, problems: string[]): void {
  if (problems.length !== 1 || problems[0] !== 'ok') throw corrupt(path, problems);
}

const quickCheck = (db: CacheDb, table?: string): string[] =>
  (db.pragma(table === undefined ? 'quick_check' : `quick_check("${table.replaceAll('"', '""')}")`) as { quick_check: string }[]).map((row) => row.quick_check);

type OpenCheck = 'whole file' | 'all but the bulk replica';

/**
 * Runs only reads, so a foreign, corrupt or newer file is refused before a single byte is written
 * to it. A cache that still needs a migration (which writes) always gets the whole check.
 */
function checkBeforeWriting(db: CacheDb, path: string, scope: OpenCheck): void {
  const version = currentVersion(db);
  if (version > LATEST_VERSION) throw new FutureSchemaVersionError(version);
  if (scope === 'whole file' || version < LATEST_VERSION) {
    refuseProblems(path, quickCheck(db));
    return;
  }
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  for (const table of tables) if (!BULK_REPLICA_TABLES.has(table)) refuseProblems(path, quickCheck(db, table));
}

export interface OpenCacheOptions {
  /** A better-sqlite3-multiple-ciphers build other than the package's own (Electron's data process passes the one built for Electron's ABI). */
  nativeBinding?: string;
  /**
   * The cache's 256-bit key as 64 hex digits (desk-backend/cache-key.ts, desk-backend/hosting/cache-key-file.ts):
   * the file is then ChaCha20-Poly1305 encrypted. The desk's hosts always pass one; tools, tests and
   * benchmarks without one get a plain file.
   */
  key?: string;
}

const connect = (path: string, options: OpenCacheOptions): CacheDb =>
  new Database(path, { timeout: BUSY_TIMEOUT_MS, verbose: sqlTracer(), nativeBinding: options.nativeBinding });

/** Whether the connection reads the file: with a wrong key, or none for an encrypted file, SQLite answers SQLITE_NOTADB at the first read. */
function reads(db: CacheDb): boolean {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return true;
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_NOTADB') return false;
    throw error;
  }
}

/** A connection keyed before its first read; closed again when keying fails. */
function keyedConnection(path: string, options: OpenCacheOptions, key: string): CacheDb {
  const db = connect(path, options);
  try {
    applyCacheKey(db, key, 'key');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The connection when it reads the file; null, the connection closed, when it does not (a wrong key, or none for an encrypted file). */
function readingConnection(db: CacheDb): CacheDb | null {
  try {
    if (reads(db)) return db;
  } catch (error) {
    db.close();
    throw error;
  }
  db.close();
  return null;
}

/**
 * Why a file this key does not open is refused: a plain cache not yet encrypted (its host skipped
 * encryptPlainCache), a file that is no database at all, or one encrypted under another key.
 */
function refusalOfUnkeyedFile(path: string, options: OpenCacheOptions): CacheUnavailableError {
  const plain = readingConnection(connect(path, options));
  if (plain !== null) {
    plain.close();
    return new CacheUnavailableError(
      'cannot_open',
      path,
      'the file is a plain cache not yet encrypted: its host encrypts it with encryptPlainCache before opening it with the key',
    );
  }
  const notEncrypted = whyNotAnEncryptedCache(path);
  if (notEncrypted !== null) return new CacheUnavailableError('not_a_database', path, `the file is not a desk cache: ${notEncrypted}`);
  return new CacheUnavailableError(
    'wrong_key',
    path,
    "the file does not open with this desk's cache key (it was encrypted under another key, or holds other random-looking bytes)",
  );
}

/** A connection that reads the file with `key`; a file the key does not open is refused. */
function connectWithKey(path: string, options: OpenCacheOptions, key: string): CacheDb {
  const keyed = readingConnection(keyedConnection(path, options, key));
  if (keyed !== null) return keyed;
  throw refusalOfUnkeyedFile(path, options);
}

function open(path: string, options: OpenCacheOptions, scope: OpenCheck): CacheDb {
  if (options.key !== undefined) checkCacheKey(options.key);
  let db: CacheDb;
  try {
    // A fresh install or a new CLM_DESK_DATA_DIR has no folder yet.
    mkdirSync(dirname(path), { recursive: true });
    db = options.key === undefined ? connect(path, options) : connectWithKey(path, options, options.key);
  } catch (error) {
    throw asCacheError(error, path) ?? error;
  }
  try {
    checkBeforeWriting(db, path, scope);
    db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL may lose the last commits on power loss or an OS crash (SQLite
    // documents this); an outcome the agent saved must survive that, because until the outbox
    // drains the cache holds the only copy. FULL fsyncs the WAL on every commit.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrateToLatest(db);
    return db;
  } catch (error) {
    db.close();
    throw asCacheError(error, path) ?? error;
  }
}

/** Opens the cache after checking the whole file (tools, tests and benchmarks; a desk uses openCacheCheckingInBackground). */
export function openCache(path: string, options: OpenCacheOptions = {}): CacheDb {
  return open(path, options, 'whole file');
}

export interface CacheUnderCheck {
  db: CacheDb;
  /**
   * Resolves once the whole file passed quick_check; rejects with CacheUnavailableError when it
   * did not (or the check could not run). Nothing may read or write the cache before it resolves.
   */
  checked: Promise<void>;
  /** Stops a check still running, then closes the connection. */
  close(): Promise<void>;
}

function checkedOrRefused(path: string, outcome: QuickCheckOutcome, what = 'integrity check'): void {
  if (outcome.kind === 'ok') return;
  if (outcome.kind === 'problems') throw corrupt(path, outcome.problems);
  const reason = outcome.code === null ? null : cacheReasonForSqliteCode(outcome.code);
  throw new CacheUnavailableError(reason ?? 'cannot_open', path, `${what} did not finish: ${outcome.message}`);
}

/**
 * Opens the cache at once, checking at open everything but the bulk replica tables (and the whole
 * file when a migration is due), and checks the whole file on a worker thread meanwhile: a
 * million-customer cache opens in milliseconds instead of seconds, and the caller holds every
 * use of it until `checked` resolves.
 */
export function openCacheCheckingInBackground(path: string, options: OpenCacheOptions = {}): CacheUnderCheck {
  const db = open(path, options, 'all but the bulk replica');
  const check = startBackgroundQuickCheck(path, { nativeBinding: options.nativeBinding, key: options.key });
  const checked = check.outcome.then((outcome) => checkedOrRefused(path, outcome));
  // A caller that closes before awaiting the check must not see an unhandled rejection.
  checked.catch(() => undefined);
  return {
    db,
    checked,
    async close() {
      await check.stop();
      db.close();
    },
  };
}

/**
 * Whether the file reads with the key already, as at every start after the first: one page read, no
 * worker needed. It is the keyed read every open of an encrypted cache starts with, so the worker reads plain.
 */
function opensWithKey(path: string, options: OpenCacheOptions, key: string): boolean {
  try {
    const db = readingConnection(keyedConnection(path, options, key));
    db?.close();
    return db !== null;
  } catch {
    // Unreadable for another reason: the worker's own attempt says which.
    return false;
  }
}

/**
 * Encrypts in place the plain cache an earlier desk kept (every desk installed before the
 * encryption has one), on a worker thread, so the host's thread goes on answering meanwhile: the
 * file is checked (quick_check) before a byte is written, then rekeyed in one transaction. A host
 * calls it before it opens the cache with its key (desk-backend/opening-desk-backend.ts). Resolves
 * at once when there is no file; resolves too when the file opens with the key already or does not
 * open plain either (the open then says why); rejects with CacheUnavailableError, the file
 * untouched, when the plain cache fails its check.
 */
export async function encryptPlainCache(path: string, options: PlainCacheEncryptionOptions): Promise<void> {
  checkCacheKey(options.key);
  if (!existsSync(path) || opensWithKey(path, options, options.key)) return;
  const outcome = await startPlainCacheEncryption(path, options, BUSY_TIMEOUT_MS).outcome;
  if (outcome.kind === 'encrypted' || outcome.kind === 'not plain') return;
  checkedOrRefused(path, outcome, 'encryption of the plain cache');
}
