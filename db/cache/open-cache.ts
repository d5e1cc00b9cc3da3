// Opens the desk's SQLite cache: checks the file before writing anything to it, then sets the
// connection pragmas and applies pending migrations.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CacheUnavailableError, cacheReasonForSqliteCode } from './cache-unavailable-error';
import { FutureSchemaVersionError, LATEST_VERSION, currentVersion, migrateToLatest } from './migrations';

export type CacheDb = Database.Database;

const BUSY_TIMEOUT_MS = 5000;

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

/** Runs only reads, so a foreign, corrupt or newer file is refused before a single byte is written to it. */
function checkBeforeWriting(db: CacheDb, path: string): void {
  const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new CacheUnavailableError('corrupt', path, `integrity check failed: ${problems.slice(0, 3).join('; ')}`);
  }
  const version = currentVersion(db);
  if (version > LATEST_VERSION) throw new FutureSchemaVersionError(version);
}

export interface OpenCacheOptions {
  /** A better-sqlite3 build other than the package's own (Electron's data process passes the one built for Electron's ABI). */
  nativeBinding?: string;
}

export function openCache(path: string, options: OpenCacheOptions = {}): CacheDb {
  let db: CacheDb;
  try {
    // A fresh install or a new CLM_DESK_DATA_DIR has no folder yet.
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS, verbose: sqlTracer(), nativeBinding: options.nativeBinding });
  } catch (error) {
    throw asCacheError(error, path) ?? error;
  }
  try {
    checkBeforeWriting(db, path);
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
