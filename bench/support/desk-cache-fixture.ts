// A desk cache with `rows` customers and their scores, written through the db layer's own change
// applier (as if synced) but without a server: pages are built in memory, one SQLite
// transaction each. Used by the lookup, screen-pop and memory benchmarks.
import type { SyncChange } from '../../shared/contract/central-api';
import { openCache } from '../../db/cache/open-cache';
import { createChangeApplier } from '../../db/sync/apply-changes';
import { DEMO_OFFERS } from '../../server/seed/demo-offers';
import { bookChunks } from './book';
import { elapsedMs } from './stats';

/** Customers per applied page (the page holds their scores too). */
const CUSTOMERS_PER_PAGE = 2500;

export interface DeskCacheFixture {
  path: string;
  rows: number;
  /** The cursor left in sync_state: offers, then customer and score seqs. */
  cursor: number;
  fillSeconds: number;
}

/**
 * Offers take seqs 1..k, then customer #i takes k+2i+1 and its score k+2i+2. A central API that
 * only seeds users and offers therefore never serves a seq above this cursor: the desk pulls
 * nothing and keeps its million rows.
 */
export function fillDeskCache(path: string, rows: number): DeskCacheFixture {
  const started = performance.now();
  const db = openCache(path);
  try {
    const applyPage = createChangeApplier(db);
    let seq = 0;
    const offers: SyncChange[] = DEMO_OFFERS.map((offer) => ({ seq: ++seq, op: 'upsert', entity: 'offer', id: offer.id, version: 1, data: offer }));
    applyPage({ changes: offers, nextCursor: seq, hasMore: true });
    for (const chunk of bookChunks(rows, CUSTOMERS_PER_PAGE)) {
      const changes: SyncChange[] = [];
      chunk.customers.forEach((customer, i) => {
        changes.push({ seq: ++seq, op: 'upsert', entity: 'customer', id: customer.id, version: 1, data: customer });
        changes.push({ seq: ++seq, op: 'upsert', entity: 'score', id: customer.id, version: 1, data: chunk.scores[i]! });
      });
      applyPage({ changes, nextCursor: seq, hasMore: chunk.start + CUSTOMERS_PER_PAGE < rows });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { path, rows, cursor: seq, fillSeconds: elapsedMs(started) / 1000 };
  } finally {
    db.close();
  }
}
