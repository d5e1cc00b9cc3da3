// A new desk's first download: the whole book from GET /sync/snapshot instead of replaying the
// change log from seq 0. Pages walk each synced table in key order; each slice of a page commits
// with the progress up to its last key in one transaction, so a desk killed half-way resumes where
// it stopped. Between slices the download gives way (the event loop turns, and a ringing call's card
// is built first): a 10,000-row page written in one go held the desk for seconds. When every
// table is done the cursor jumps to the first page's safeCursor and the ordinary change feed
// takes over: every change up to that seq is reflected in the rows (or in newer versions of
// them), and every later one arrives through the feed, version-gated like any replay. A desk with
// a cache scope downloads its scope only; the scope of the first page is recorded with it.
import { z } from 'zod';
import type { ScopedSyncSnapshotResponse as SyncSnapshotResponse } from '../../shared/contract/cache-scope';
import { SYNC_ENTITIES, type SyncEntity } from '../../shared/contract/entities';
import { buildNameKeysSql } from '../cache/migrations';
import type { CacheDb } from '../cache/open-cache';
import { createPinyinKeyFiller } from '../cache/pinyin-keys';
import { admitToScope, type AppliedPage } from './apply-changes';
import { CACHE_TABLES } from './cache-tables';
import { WRITE_SLICE_ROWS } from './change-page-slices';
import { createSyncStateStore } from './sync-state';

export const SNAPSHOT_PAGE_SIZE = 10_000;

/** What the download waits for before each slice: by default one turn of the event loop. */
export type GiveWay = () => Promise<void>;
const nextTurn: GiveWay = () => new Promise((resolve) => setImmediate(resolve));

/** The small tables first, so cards opened while the book is still arriving already have their offers. */
const BOOTSTRAP_ORDER: readonly SyncEntity[] = ['offer', 'offer_stats', 'customer', 'score', 'contact_history', 'usage'];
/** The last table of customers' rows: a customer's rows are all in once the download is past them here. */
const LAST_CUSTOMER_TABLE: SyncEntity = 'usage';

const Progress = z.object({ safeCursor: z.number().int().nonnegative(), entity: z.enum(SYNC_ENTITIES), afterKey: z.string() });
type Progress = z.infer<typeof Progress>;

/** The server now reads another cache scope for this desk than the pages already stored: the download starts over (scope-cache.ts). */
export class ScopeChangedError extends Error {
  override readonly name = 'ScopeChangedError';
  constructor(readonly scope: string) {
    super(`the desk's cache scope changed to ${scope} during the download`);
  }
}

/**
 * Whether every synced row of `customerId` is in the cache, given the download's progress (null:
 * none under way). A customer's row arrives a table or more before their score, contact history
 * and bills: a card built in between would show no churn risk and no contact history.
 */
export function downloadHoldsAllRowsOf(progress: string | null, customerId: string): boolean {
  if (progress === null) return true;
  let position: Progress;
  try {
    position = Progress.parse(JSON.parse(progress));
  } catch {
    return false; // a download starting over (scope-cache.ts): nothing is in yet
  }
  return position.entity === LAST_CUSTOMER_TABLE && position.afterKey >= customerId;
}

export type FetchSnapshotPage = (entity: SyncEntity, afterKey: string, limit: number) => Promise<SyncSnapshotResponse>;

// The documents were validated by the server when they were written (the feed serves the same
// text); here SQLite checks, in C, that each is JSON whose key and version match its row, which
// catches a truncated or mixed-up page without parsing a million documents in JavaScript.
const matchesRow = (keyField: string) => `json_valid(@data) AND json_extract(@data, '$.${keyField}') = @id AND json_extract(@data, '$.version') = @version`;

export interface SnapshotBootstrap {
  /** True when the cache should be filled from a snapshot: never synced, or a bootstrap was interrupted. */
  needed(): boolean;
  /**
   * Runs (or resumes) the bootstrap; resolves once the cursor stands at the snapshot's safe cursor.
   * `onPage` is told of each committed slice; `giveWay` is awaited before each one.
   */
  run(fetchPage: FetchSnapshotPage, onPage?: (page: AppliedPage) => void, giveWay?: GiveWay): Promise<void>;
}

type Position = Omit<Progress, 'safeCursor'>;
interface SnapshotRow {
  id: string;
  version: number;
  data: string;
}

/** Where the walk goes after `page`: on in the same table, to the next table, or nowhere (done). */
function nextPosition(at: Position, page: SyncSnapshotResponse): Position | null {
  if (page.hasMore) {
    if (page.nextKey === at.afterKey) throw new Error('the snapshot reported more rows but its key did not advance');
    return { entity: at.entity, afterKey: page.nextKey };
  }
  const following = BOOTSTRAP_ORDER[BOOTSTRAP_ORDER.indexOf(at.entity) + 1];
  return following === undefined ? null : { entity: following, afterKey: '' };
}

export function createSnapshotBootstrap(db: CacheDb, pageSize = SNAPSHOT_PAGE_SIZE, sliceRows = WRITE_SLICE_ROWS): SnapshotBootstrap {
  const syncState = createSyncStateStore(db);
  const perEntity = <T>(make: (entity: SyncEntity) => T) => Object.fromEntries(SYNC_ENTITIES.map((entity) => [entity, make(entity)])) as Record<SyncEntity, T>;
  // A recycled number moved to this customer after an earlier page was read: the feed re-adds the old owner.
  const releasePhone = db.prepare<[Omit<SnapshotRow, 'version'>]>(`DELETE FROM customers WHERE phone = json_extract(@data, '$.phone') AND id <> @id`);
  const upsert = perEntity((entity) => {
    const { table, key, keyField } = CACHE_TABLES[entity];
    const customer = entity === 'customer';
    const columns = customer ? `${key}, phone, name, id_number, version, data` : `${key}, version, data`;
    const values = customer
      ? `@id, json_extract(@data, '$.phone'), json_extract(@data, '$.name'), json_extract(@data, '$.idNumber'), @version, @data`
      : '@id, @version, @data';
    const updates = customer ? 'phone = excluded.phone, name = excluded.name, id_number = excluded.id_number, ' : '';
    return db.prepare<[SnapshotRow]>(
      `INSERT INTO ${table} (${columns}) SELECT ${values} WHERE ${matchesRow(keyField)}
       ON CONFLICT (${key}) DO UPDATE SET ${updates}version = excluded.version, data = excluded.data
       WHERE excluded.version > ${table}.version`,
    );
  });
  const versionOf = perEntity((entity) =>
    db.prepare<[string], number>(`SELECT version FROM ${CACHE_TABLES[entity].table} WHERE ${CACHE_TABLES[entity].key} = ?`).pluck(),
  );
  // Each slice of customers gets its pinyin keys in its own transaction, so the work is spread over the
  // slices: filled in one go at the end of the customer table, a 20,000-customer book held the desk for
  // most of a second. The filler takes only keys still missing (this slice's, or a customer written meanwhile).
  const fillMissingPinyinKeys = createPinyinKeyFiller(db);

  /** Writes `rows` (a slice of `page`, in key order) and records `next` as where the download goes on from. */
  const applySlice = db.transaction((page: SyncSnapshotResponse, rows: SyncSnapshotResponse['rows'], next: Progress, safeCursor: number): AppliedPage => {
    // Progress is set before the rows go in, so the name-key triggers stand aside from the first row on.
    if (syncState.snapshotProgress() === null) syncState.setSnapshotProgress(JSON.stringify({ safeCursor, entity: page.entity, afterKey: '' }));
    // Every page must be of the scope the first one was read for.
    if (page.scope !== undefined) {
      const held = syncState.scope();
      if (held === null) syncState.setScope(page.scope);
      else if (held !== page.scope) throw new ScopeChangedError(page.scope);
    }
    let applied = 0;
    for (const [id, version, text] of rows) {
      const row = { id, version, data: text };
      if (page.entity === 'customer') releasePhone.run(row);
      const changes = upsert[page.entity].run(row).changes;
      // Nothing written is fine only when the cache already holds that version or a newer one (a resumed page).
      if (changes === 0 && (versionOf[page.entity].get(id) ?? 0) < version) {
        throw new Error(`snapshot row ${page.entity} ${id} is not a valid document of that key and version`);
      }
      applied += changes;
    }
    if (page.entity === 'customer') {
      admitToScope(
        syncState,
        rows.map(([id]) => id),
      );
      fillMissingPinyinKeys();
    }
    syncState.setSnapshotProgress(JSON.stringify(next));
    return { applied, skipped: rows.length - applied, deleted: 0, cursor: syncState.cursor(), touched: new Set([page.entity]) };
  });

  /**
   * The last step, a transaction of its own after every row is in: the fuzzy-name index in one
   * sorted statement, then the cursor hands over to the change feed. Until it commits the progress
   * still names the last key written, so a desk killed in between ends the download here when it resumes.
   */
  const finish = db.transaction((safeCursor: number): AppliedPage => {
    db.exec(buildNameKeysSql);
    syncState.setSnapshotProgress(null);
    return { applied: 0, skipped: 0, deleted: 0, cursor: syncState.advanceCursor(safeCursor), touched: new Set() };
  });

  /**
   * Writes the page read at `at` slice by slice, giving way before each; a slice ends at its last key,
   * the page's last at `next`. After the last page the download gives way once more and finishes.
   */
  async function applyPage(
    page: SyncSnapshotResponse,
    at: Position,
    next: Progress | null,
    safeCursor: number,
    onPage: ((page: AppliedPage) => void) | undefined,
    giveWay: GiveWay,
  ) {
    // An empty page still records where the download goes next.
    const slices = page.rows.length === 0 ? [page.rows] : chunk(page.rows, sliceRows);
    for (const [index, rows] of slices.entries()) {
      await giveWay();
      const last = index === slices.length - 1;
      const sliceNext = last && next !== null ? next : { safeCursor, entity: page.entity, afterKey: rows.at(-1)?.[0] ?? at.afterKey };
      const applied = applySlice(page, rows, sliceNext, safeCursor);
      onPage?.(applied);
    }
    if (next !== null) return;
    await giveWay();
    const finished = finish(safeCursor);
    onPage?.(finished);
  }

  return {
    needed: () => syncState.snapshotProgress() !== null || syncState.cursor() === 0,

    async run(fetchPage, onPage, giveWay = nextTurn) {
      const text = syncState.snapshotProgress();
      const resumed = text === null ? null : Progress.parse(JSON.parse(text));
      let at: Position = resumed ?? { entity: BOOTSTRAP_ORDER[0]!, afterKey: '' };
      let safeCursor = resumed?.safeCursor ?? null;
      // The next page is fetched while the current one is written, as the change feed does.
      let pending: Promise<SyncSnapshotResponse> | null = fetchPage(at.entity, at.afterKey, pageSize);
      try {
        while (pending !== null) {
          const page = await pending;
          pending = null;
          if (page.entity !== at.entity) throw new Error(`asked the snapshot for ${at.entity} rows, got ${page.entity}`);
          // The first page's safe cursor: every later page is at or past it.
          safeCursor ??= page.safeCursor;
          const next = nextPosition(at, page);
          if (next !== null) {
            pending = fetchPage(next.entity, next.afterKey, pageSize);
            // Its failure is met when it is awaited, after this page is written; until then it must not count as unhandled.
            pending.catch(() => undefined);
          }
          await applyPage(page, at, next === null ? null : { safeCursor, ...next }, safeCursor, onPage, giveWay);
          if (next !== null) at = next;
        }
      } finally {
        pending?.catch(() => undefined); // a prefetch in flight must not surface as an unhandled rejection
      }
    },
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
