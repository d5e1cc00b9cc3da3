// Forward-only, numbered schema migrations. The applied version lives in PRAGMA user_version;
// every pending step runs in one transaction so a crash mid-migration leaves the old schema intact.
import type { Database } from 'better-sqlite3';

interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'mirror of server-owned rows and sync bookkeeping',
    up(db) {
      // `data` holds the entity exactly as the contract schema parsed it; the other columns are
      // the keys the desk looks rows up by.
      db.exec(`
        CREATE TABLE customers (
          id TEXT PRIMARY KEY,
          phone TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          id_number TEXT NOT NULL,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        CREATE TABLE scores (
          customer_id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        CREATE TABLE offers (
          id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        -- value has no declared type (BLOB affinity) so integers stay integers and text stays text.
        CREATE TABLE sync_state (
          key TEXT PRIMARY KEY,
          value
        );
      `);
    },
  },
  {
    version: 2,
    name: 'call outcomes with a durable outbox and a dead-letter table',
    up(db) {
      db.exec(`
        CREATE TABLE outcomes (
          outcome_id TEXT PRIMARY KEY,
          customer_id TEXT,
          phone TEXT,
          call_id TEXT,
          offer_id TEXT,
          result TEXT NOT NULL,
          channel TEXT NOT NULL,
          note TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          sync_state TEXT NOT NULL CHECK (sync_state IN ('pending', 'synced', 'dead')),
          payload TEXT NOT NULL
        );
        CREATE INDEX outcomes_by_customer ON outcomes (customer_id, recorded_at);
        CREATE INDEX outcomes_by_phone ON outcomes (phone, recorded_at);
        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          outcome_id TEXT NOT NULL UNIQUE REFERENCES outcomes (outcome_id),
          client_seq INTEGER NOT NULL,
          payload TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT
        );
        CREATE TABLE outbox_dead (
          outcome_id TEXT PRIMARY KEY REFERENCES outcomes (outcome_id),
          payload TEXT NOT NULL,
          code TEXT NOT NULL,
          reason TEXT NOT NULL,
          dead_at TEXT NOT NULL
        );
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function currentVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A clear refusal for a cache written by a newer app; the caller wraps it as CacheUnavailableError. */
export class FutureSchemaVersionError extends Error {
  override readonly name = 'FutureSchemaVersionError';
  constructor(readonly found: number) {
    super(`cache schema version ${found} is newer than this app supports (${LATEST_VERSION}); update CLM Desk`);
  }
}

/**
 * Applies every migration above the current version up to `target`, in one transaction.
 * Exported so each migration can be tested from the state its predecessor left.
 */
export function updateToVersion(db: Database, target: number): void {
  const from = currentVersion(db);
  if (from > LATEST_VERSION) throw new FutureSchemaVersionError(from);
  if (target > LATEST_VERSION) throw new Error(`no migration to version ${target} (latest is ${LATEST_VERSION})`);
  const pending = MIGRATIONS.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
}

export function migrateToLatest(db: Database): void {
  updateToVersion(db, LATEST_VERSION);
}
