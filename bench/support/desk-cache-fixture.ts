// A desk cache with `rows` customers and their scores, filled through the desk's own snapshot
// bootstrap (as a new desk is) but without a server: each page is generated in memory when the
// bootstrap asks for it. Encrypted with the benchmarks' key, as the desk keeps its cache (bench-cache.ts). Used by the lookup, search, screen-pop and memory benchmarks.
import type { SyncSnapshotResponse } from '../../shared/contract/central-api';
import type { SyncEntity } from '../../shared/contract/entities';
import { openCache } from '../../db/cache/open-cache';
import { createSnapshotBootstrap, SNAPSHOT_PAGE_SIZE, type FetchSnapshotPage } from '../../db/replica/snapshot-bootstrap';
import { DEMO_OFFERS } from '../../server/seed/demo-offers';
import { DEMO_SEED, demoCustomerId, demoScore, generateDemoCustomer } from '../../server/seed/demo-customers';
import { openBenchCache } from './bench-cache';
import { elapsedMs } from './stats';

export interface DeskCacheFixture {
  path: string;
  rows: number;
  /** The cursor left in sync_state: offers, then customer and score seqs. */
  cursor: number;
  fillSeconds: number;
}

type Row = SyncSnapshotResponse['rows'][number];

/** Index of the first customer after `afterKey` (ids are CUS + the 1-based index, zero-padded, so key order is index order). */
const firstIndexAfter = (afterKey: string): number => (afterKey === '' ? 0 : Number(afterKey.slice(3)));

function bookPage(entity: SyncEntity, afterKey: string, limit: number, rows: number, safeCursor: number): SyncSnapshotResponse {
  const page = (pageRows: Row[], hasMore: boolean): SyncSnapshotResponse => ({
    entity,
    safeCursor,
    rows: pageRows,
    nextKey: pageRows.at(-1)?.[0] ?? afterKey,
    hasMore,
  });
  if (entity === 'offer') return page(afterKey === '' ? DEMO_OFFERS.map((offer) => [offer.id, offer.version, JSON.stringify(offer)]) : [], false);
  if (entity !== 'customer' && entity !== 'score') return page([], false);
  const start = firstIndexAfter(afterKey);
  const end = Math.min(rows, start + limit);
  const pageRows = Array.from({ length: end - start }, (_, i): Row => {
    const customer = generateDemoCustomer(start + i, DEMO_SEED);
    const document = entity === 'customer' ? customer : demoScore(customer);
    return [demoCustomerId(start + i), document.version, JSON.stringify(document)];
  });
  return page(pageRows, end < rows);
}

/**
 * Offers take seqs 1..k, then customer #i takes k+2i+1 and its score k+2i+2: the snapshot's safe
 * cursor is the last of them. A central API that only seeds users and offers therefore never
 * serves a seq above this cursor: the desk pulls nothing and keeps its million rows.
 */
/** `plain`: a file without a key, as the desk kept it before the encryption (bench/cipher-cost.ts compares the two). */
export async function fillDeskCache(path: string, rows: number, options: { plain?: boolean } = {}): Promise<DeskCacheFixture> {
  const started = performance.now();
  const cursor = DEMO_OFFERS.length + 2 * rows;
  const db = options.plain ? openCache(path) : openBenchCache(path);
  try {
    const fetchPage: FetchSnapshotPage = async (entity, afterKey, limit) => bookPage(entity, afterKey, limit, rows, cursor);
    await createSnapshotBootstrap(db, SNAPSHOT_PAGE_SIZE).run(fetchPage);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { path, rows, cursor, fillSeconds: elapsedMs(started) / 1000 };
  } finally {
    db.close();
  }
}
