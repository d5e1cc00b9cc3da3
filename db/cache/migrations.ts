// Forward-only, numbered schema migrations. The applied version lives in PRAGMA user_version;
// every pending step runs in one transaction so a crash mid-migration leaves the old schema intact.
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { fillPinyinKeysInBulk } from './pinyin-keys';

/** Resident ID numbers have 15 or 18 characters. */
const ID_NUMBER_MAX_LENGTH = 18;
/** Longer names are found by prefix only (their key count grows with their length). */
export const FUZZY_NAME_MAX_LENGTH = 16;

/** The column reversed, as SQL (SQLite has no reverse()): substr past the end is ''. */
function reversedSql(column: string, maxLength: number): string {
  return Array.from({ length: maxLength }, (_, i) => `substr(${column}, ${maxLength - i}, 1)`).join(' || ');
}

function positionsSql(maxLength: number): string {
  return `VALUES ${Array.from({ length: maxLength + 1 }, (_, n) => `(${n})`).join(', ')}`;
}

/**
 * The search form of a name (spaces dropped, ASCII lower-cased) as SQL; the search query is
 * normalised by the same expression (db/cache/customer-search.ts), so the two never disagree.
 */
export const normalizedNameSql = (name: string) => `lower(replace(${name}, ' ', ''))`;

/**
 * SELECT of (key, customer_id): the normalised name itself (n = 0) and the name with its n-th
 * character deleted (n = 1..length), for names of 2..FUZZY_NAME_MAX_LENGTH characters.
 */
export function nameKeysSql(name: string, customerId: string, from?: string): string {
  const k = normalizedNameSql(name);
  return `SELECT DISTINCT CASE WHEN p.n = 0 THEN ${k} ELSE substr(${k}, 1, p.n - 1) || substr(${k}, p.n + 1) END AS key, ${customerId} AS customer_id
    FROM ${from === undefined ? '' : `${from}, `}name_key_positions p
    WHERE p.n <= length(${k}) AND length(${k}) BETWEEN 2 AND ${FUZZY_NAME_MAX_LENGTH}`;
}

/** The sync_state key a snapshot bootstrap keeps its progress under (db/replica/snapshot-bootstrap.ts). */
export const SNAPSHOT_PROGRESS_KEY = 'snapshot_progress';

/** Every customer's name keys from scratch, in key order (sequential B-tree appends: far faster than row by row). */
export const buildNameKeysSql = `DELETE FROM name_keys;
  INSERT INTO name_keys (key, customer_id) SELECT key, customer_id FROM (${nameKeysSql('customers.name', 'customers.id', 'customers')}) ORDER BY key, customer_id;`;

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
  {
    version: 3,
    name: 'learning and contact data, store search indexes, audit outbox and cached answers',
    up(db) {
      db.exec(`
        CREATE TABLE offer_stats (
          offer_id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        CREATE TABLE contact_history (
          customer_id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );

        -- Store counter search. Phone prefix: the phone UNIQUE index serves a range. ID number, full
        -- or by its last 4+ characters: the reversed number turns a suffix into a prefix (range).
        ALTER TABLE customers ADD COLUMN id_number_reversed TEXT GENERATED ALWAYS AS (${reversedSql('id_number', ID_NUMBER_MAX_LENGTH)}) VIRTUAL;
        CREATE INDEX customers_by_reversed_id_number ON customers (id_number_reversed);
        CREATE INDEX customers_by_name ON customers (name);

        -- Fuzzy names (one character wrong, missing or extra): a symmetric-deletion index. Every
        -- name is stored under its normalised form and under each one-character deletion of it; two names within one edit share a key.
        -- Pure SQL, so the triggers keep it exact for every write, however it is made.
        CREATE TABLE name_key_positions (n INTEGER PRIMARY KEY);
        INSERT INTO name_key_positions (n) ${positionsSql(FUZZY_NAME_MAX_LENGTH)};
        CREATE TABLE name_keys (
          key TEXT NOT NULL,
          customer_id TEXT NOT NULL,
          PRIMARY KEY (key, customer_id)
        ) WITHOUT ROWID;
        INSERT INTO name_keys (key, customer_id) ${nameKeysSql('customers.name', 'customers.id', 'customers')};
        CREATE TRIGGER customers_name_keys_insert AFTER INSERT ON customers BEGIN
          INSERT INTO name_keys (key, customer_id) ${nameKeysSql('NEW.name', 'NEW.id')};
        END;
        CREATE TRIGGER customers_name_keys_update AFTER UPDATE OF name ON customers WHEN OLD.name IS NOT NEW.name BEGIN
          DELETE FROM name_keys WHERE customer_id = OLD.id AND key IN (SELECT key FROM (${nameKeysSql('OLD.name', 'OLD.id')}));
          INSERT INTO name_keys (key, customer_id) ${nameKeysSql('NEW.name', 'NEW.id')};
        END;
        CREATE TRIGGER customers_name_keys_delete AFTER DELETE ON customers BEGIN
          DELETE FROM name_keys WHERE customer_id = OLD.id AND key IN (SELECT key FROM (${nameKeysSql('OLD.name', 'OLD.id')}));
        END;

        -- Card-view audit rows wait here until the central API acknowledged them (like the outbox).
        CREATE TABLE audit_outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          view_id TEXT NOT NULL UNIQUE,
          payload TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT
        );

        -- The last answer of the central API per (user, question), served offline marked as cached.
        CREATE TABLE report_cache (
          key TEXT PRIMARY KEY,
          data TEXT NOT NULL,
          cached_at TEXT NOT NULL
        );
        CREATE TABLE outbound_cache (
          key TEXT PRIMARY KEY,
          data TEXT NOT NULL,
          cached_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 4,
    name: 'scoring bundle for desk re-scoring, customer events with their outbox',
    up(db) {
      db.exec(`
        CREATE TABLE scoring_bundle (
          id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        -- Complaints and network faults logged during calls. 'acked' rows stay: until the download
        -- cursor reaches applied_at_seq the synced customer row does not include them yet.
        CREATE TABLE customer_events (
          event_id TEXT PRIMARY KEY,
          customer_id TEXT NOT NULL,
          call_id TEXT,
          kind TEXT NOT NULL,
          note TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          payload TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('pending', 'acked', 'dead')),
          applied_at_seq INTEGER,
          dead_reason TEXT
        );
        CREATE INDEX customer_events_by_customer ON customer_events (customer_id, state);
        CREATE TABLE event_outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE REFERENCES customer_events (event_id),
          payload TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT
        );
      `);
    },
  },
  {
    version: 5,
    name: 'name keys built in bulk after a snapshot bootstrap instead of row by row',
    up(db) {
      // While a bootstrap is under way (snapshot_progress set) the triggers stand aside; the
      // bootstrap's last page rebuilds name_keys in one sorted statement (buildNameKeysSql).
      const idle = `NOT EXISTS (SELECT 1 FROM sync_state WHERE key = '${SNAPSHOT_PROGRESS_KEY}' AND value IS NOT NULL)`;
      db.exec(`
        DROP TRIGGER customers_name_keys_insert;
        DROP TRIGGER customers_name_keys_update;
        DROP TRIGGER customers_name_keys_delete;
        CREATE TRIGGER customers_name_keys_insert AFTER INSERT ON customers WHEN ${idle} BEGIN
          INSERT INTO name_keys (key, customer_id) ${nameKeysSql('NEW.name', 'NEW.id')};
        END;
        CREATE TRIGGER customers_name_keys_update AFTER UPDATE OF name ON customers WHEN OLD.name IS NOT NEW.name AND ${idle} BEGIN
          DELETE FROM name_keys WHERE customer_id = OLD.id AND key IN (SELECT key FROM (${nameKeysSql('OLD.name', 'OLD.id')}));
          INSERT INTO name_keys (key, customer_id) ${nameKeysSql('NEW.name', 'NEW.id')};
        END;
        CREATE TRIGGER customers_name_keys_delete AFTER DELETE ON customers WHEN ${idle} BEGIN
          DELETE FROM name_keys WHERE customer_id = OLD.id AND key IN (SELECT key FROM (${nameKeysSql('OLD.name', 'OLD.id')}));
        END;
      `);
    },
  },
  {
    version: 6,
    name: 'open interactions with their outcome drafts, and the audit log of discarded ones',
    up(db) {
      // A call lives here from the moment it rings until its outcome is saved (same transaction
      // as the outbox row) or the agent discards it; each keystroke of the draft is saved here.
      // `card` is the card as shown (JSON), so it comes back after a reload without a lookup.
      db.exec(`
        CREATE TABLE open_interactions (
          interaction_id TEXT PRIMARY KEY,
          agent_id TEXT NOT NULL,
          request TEXT NOT NULL,
          call_id TEXT,
          customer_id TEXT,
          phone TEXT,
          card TEXT,
          state TEXT NOT NULL CHECK (state IN ('ringing', 'talking', 'wrap_up')),
          opened_at TEXT NOT NULL,
          wrap_up_started_at TEXT,
          result TEXT,
          note TEXT NOT NULL DEFAULT '',
          callback_at TEXT NOT NULL DEFAULT '',
          decline_reason TEXT,
          not_presented_reason TEXT,
          chosen_offer_id TEXT,
          draft_saved_at TEXT
        );
        CREATE INDEX open_interactions_by_agent ON open_interactions (agent_id, opened_at);
        -- Who closed which interaction without an outcome, when, why, and what its draft held.
        CREATE TABLE interaction_discards (
          discard_id TEXT PRIMARY KEY,
          interaction_id TEXT NOT NULL,
          agent_id TEXT NOT NULL,
          call_id TEXT,
          customer_id TEXT,
          phone_masked TEXT,
          state TEXT NOT NULL,
          opened_at TEXT NOT NULL,
          draft TEXT NOT NULL,
          reason TEXT NOT NULL,
          discarded_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 7,
    name: 'discarded interactions go to the central API',
    up(db) {
      // The upload queue of interaction_discards (the desk keeps its own log too). Discards made
      // before this version are queued as well, in the order they happened.
      db.exec(`
        CREATE TABLE discard_outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          discard_id TEXT NOT NULL UNIQUE,
          payload TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error TEXT
        );
        INSERT INTO discard_outbox (discard_id, payload, next_attempt_at)
          SELECT discard_id,
            json_object('discardId', discard_id, 'interactionId', interaction_id, 'agentId', agent_id, 'customerId', customer_id,
              'callId', call_id, 'phoneMasked', phone_masked, 'state', state, 'openedAt', opened_at, 'reason', reason,
              'draft', json(draft), 'discardedAt', discarded_at),
            0
          FROM interaction_discards ORDER BY discarded_at, discard_id;
      `);
    },
  },
  {
    version: 8,
    name: 'pinyin keys of customer names for the store counter',
    up(db) {
      // One row per customer: full pinyin and initials (db/cache/pinyin-keys.ts). SQLite cannot
      // compute them, so the triggers only mark them missing (NULL) on insert and rename, and the
      // writers fill them from TypeScript in the same transaction.
      db.exec(`
        CREATE TABLE customer_pinyin (
          customer_id TEXT PRIMARY KEY,
          full TEXT,
          initials TEXT
        ) WITHOUT ROWID;
        INSERT INTO customer_pinyin (customer_id) SELECT id FROM customers ORDER BY id;
        CREATE TRIGGER customers_pinyin_insert AFTER INSERT ON customers BEGIN
          INSERT OR REPLACE INTO customer_pinyin (customer_id) VALUES (NEW.id);
        END;
        CREATE TRIGGER customers_pinyin_rename AFTER UPDATE OF name ON customers WHEN OLD.name IS NOT NEW.name BEGIN
          UPDATE customer_pinyin SET full = NULL, initials = NULL WHERE customer_id = NEW.id;
        END;
        CREATE TRIGGER customers_pinyin_delete AFTER DELETE ON customers BEGIN
          DELETE FROM customer_pinyin WHERE customer_id = OLD.id;
        END;
      `);
      fillPinyinKeysInBulk(db);
    },
  },
  {
    version: 9,
    name: 'monthly usage windows synced as their own rows',
    up(db) {
      // One compact row per customer (CustomerUsage): the last 12 months of bills. A month close
      // re-versions these rows, not the customer documents; the card reads the window from here
      // when a customer has one (shared/analytics/usage-window.ts).
      db.exec(`
        CREATE TABLE usage (
          customer_id TEXT PRIMARY KEY,
          version INTEGER NOT NULL,
          data TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 10,
    name: 'outcomes and customer events an older desk dead-lettered as agent_mismatch go back to their upload queues',
    up(db) {
      // An older desk sent every queued row in the signed-in agent's session, and the central API
      // refused (never stored) another agent's rows as agent_mismatch. The queues now drain per
      // agent (db/outbox/retry-queue.ts), so each such row waits there, due at once, for its own
      // agent's session; in the order they were recorded (outcomes by clientSeq, events by their
      // time-ordered uuidv7 ids), behind whatever was already queued.
      db.exec(`
        INSERT INTO outbox (outcome_id, client_seq, payload, attempts, next_attempt_at)
          SELECT outcome_id, json_extract(payload, '$.clientSeq'), payload, 0, 0
          FROM outbox_dead WHERE code = 'agent_mismatch' ORDER BY json_extract(payload, '$.clientSeq');
        UPDATE outcomes SET sync_state = 'pending'
          WHERE sync_state = 'dead' AND outcome_id IN (SELECT outcome_id FROM outbox_dead WHERE code = 'agent_mismatch');
        DELETE FROM outbox_dead WHERE code = 'agent_mismatch';

        INSERT INTO event_outbox (event_id, payload, attempts, next_attempt_at)
          SELECT event_id, payload, 0, 0
          FROM customer_events WHERE state = 'dead' AND instr(dead_reason, 'agent_mismatch: ') = 1 ORDER BY event_id;
        UPDATE customer_events SET state = 'pending', dead_reason = NULL
          WHERE state = 'dead' AND instr(dead_reason, 'agent_mismatch: ') = 1;
      `);
    },
  },
  {
    version: 11,
    name: 'customer events found by state, not by a scan',
    up(db) {
      // Every event stays in the table (acked ones are what the card overlays until the download
      // passes them), so it only grows. The overlay's list of customers with unsynced events, read at
      // every cache open (db/cache/customer-event-overlay.ts), and the dead count of every sync
      // status scanned all of it: 0.1-0.4 s at 200,000 events. This index finds the few rows they ask for.
      db.exec('CREATE INDEX customer_events_by_state ON customer_events (state, applied_at_seq);');
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
