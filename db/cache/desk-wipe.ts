// Erases a revoked desk's cache (shared/contract/desks.ts). The copy of the book is erased whatever
// the administrator decided: the central API holds all of it. What exists only on this desk (outcomes,
// customer events, card-view audit rows and discards not uploaded yet, open interactions with their
// drafts) is erased only under `discard`; under `hold` it stays, so nothing a person typed or decided
// is lost before an administrator chose so, and only what was already delivered goes. The device id
// and client sequence stay, so a reinstated desk uploads what it held under its own name.
// The file is then rewritten (VACUUM) and its write-ahead log emptied, so the erased rows do not
// linger in free pages; an encrypted cache is rewritten under its own key (tests/db/encrypted-cache.test.ts).
import type { UnsentDecision } from '../../shared/contract/desks';
import { CACHE_TABLES } from '../replica/cache-tables';
import type { CacheDb } from './open-cache';

/** Copies of the central API's data and what is built from them: erased whatever the decision. */
export const DOWNLOADED_TABLES: readonly string[] = [
  // Derived from customers first, so the customers' delete triggers find nothing left to do.
  'name_keys',
  'customer_pinyin',
  ...Object.values(CACHE_TABLES).map((t) => t.table),
  'scoring_bundle',
  'report_cache',
  'outbound_cache',
];

/** Work that exists only on this desk until uploaded, children before the tables they reference. */
export const DESK_WORK_TABLES: readonly string[] = [
  'outbox',
  'outbox_dead',
  'outcomes',
  'event_outbox',
  'customer_events',
  'audit_outbox',
  'discard_outbox',
  'interaction_discards',
  'open_interactions',
];

/** Bookkeeping without personal data. */
export const BOOKKEEPING_TABLES: readonly string[] = ['sync_state', 'name_key_positions'];

/** What a held desk still has for the central API. */
export interface HeldWork {
  outcomes: number;
  customerEvents: number;
  cardViews: number;
  discards: number;
  openInteractions: number;
}

/** Under `hold`: what was delivered goes, and the open interactions lose the card they showed (a copy of the book). */
const TRIM_DELIVERED = [
  `DELETE FROM outcomes WHERE sync_state = 'synced'`,
  `DELETE FROM customer_events WHERE state = 'acked'`,
  `DELETE FROM interaction_discards WHERE discard_id NOT IN (SELECT discard_id FROM discard_outbox)`,
  `UPDATE open_interactions SET card = NULL`,
];

/** The desk's identity and its next client sequence stay: a reinstated desk goes on numbering its uploads. */
const FORGET_SYNC_STATE = `DELETE FROM sync_state WHERE key NOT IN ('device_id', 'next_client_seq')`;

function countHeld(db: CacheDb): HeldWork {
  const count = (sql: string) => db.prepare<[], number>(sql).pluck().get() ?? 0;
  return {
    outcomes: count(`SELECT count(*) FROM outcomes`),
    customerEvents: count(`SELECT count(*) FROM customer_events`),
    cardViews: count(`SELECT count(*) FROM audit_outbox`),
    discards: count(`SELECT count(*) FROM discard_outbox`),
    openInteractions: count(`SELECT count(*) FROM open_interactions`),
  };
}

/** Erases the cache as `unsent` decides (one transaction), then rewrites the file; answers what is still held. */
export function wipeDeskCache(db: CacheDb, unsent: UnsentDecision): HeldWork {
  const held = db.transaction(() => {
    for (const table of DOWNLOADED_TABLES) db.exec(`DELETE FROM ${table}`);
    if (unsent === 'discard') for (const table of DESK_WORK_TABLES) db.exec(`DELETE FROM ${table}`);
    else for (const statement of TRIM_DELIVERED) db.exec(statement);
    db.exec(FORGET_SYNC_STATE);
    return countHeld(db);
  })();
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return held;
}
