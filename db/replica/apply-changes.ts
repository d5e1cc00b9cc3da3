// Applies one page of server changes to the cache. The rows and the new cursor commit together,
// so a crash before the commit refetches the page and a crash after it skips it. Replaying a page
// is harmless: changes at or below the cursor were already applied and are skipped (a version
// check alone is not enough: once a row is deleted, its version is gone and an old upsert would
// resurrect it), and every other write is still gated on the server's version.
import type { SyncChange, SyncChangesResponse } from '../../shared/contract/central-api';
import { SYNC_ENTITIES, type SyncEntity } from '../../shared/contract/entities';
import type { CacheDb } from '../cache/open-cache';
import { createPinyinKeyFiller } from '../cache/pinyin-keys';
import { CACHE_TABLES } from './cache-tables';
import { createSyncStateStore, type SyncStateStore } from './sync-state';

export interface AppliedPage {
  applied: number;
  skipped: number;
  deleted: number;
  cursor: number;
  /** Entities this page changed; lets in-memory caches (the offers list, offer stats) invalidate. */
  touched: ReadonlySet<SyncEntity>;
}

type Upsert = Extract<SyncChange, { op: 'upsert' }>;
/** One synced document with its key and version, typed by its entity (an upsert without its place in the feed). */
export type SyncedDocument = Upsert extends infer U ? (U extends Upsert ? Pick<U, 'entity' | 'id' | 'version' | 'data'> : never) : never;
/** Entities stored as (key, version, data) alone; customers also carry the columns the desk searches by. */
const DOCUMENT_ENTITIES = SYNC_ENTITIES.filter((entity): entity is Exclude<SyncEntity, 'customer'> => entity !== 'customer');

/** The single-row writes of synced documents, shared by the change applier and the visitors of scope-cache.ts. */
export interface DocumentWriter {
  versionOf(entity: SyncEntity, id: string): number | null;
  /** Writes the document whatever the version held: the caller has checked it. */
  write(change: SyncedDocument): void;
  remove(entity: SyncEntity, id: string): void;
}

export function createDocumentWriter(db: CacheDb): DocumentWriter {
  const perEntity = <E extends SyncEntity, T>(entities: readonly E[], make: (table: string, key: string) => T): Record<E, T> =>
    Object.fromEntries(entities.map((entity) => [entity, make(CACHE_TABLES[entity].table, CACHE_TABLES[entity].key)])) as Record<E, T>;
  const versionOf = perEntity(SYNC_ENTITIES, (table, key) => db.prepare<[string], { version: number }>(`SELECT version FROM ${table} WHERE ${key} = ?`));
  const remove = perEntity(SYNC_ENTITIES, (table, key) => db.prepare<[string]>(`DELETE FROM ${table} WHERE ${key} = ?`));

  // A recycled number: the server moved this phone to another customer earlier in its log. Run
  // only when the incoming row wins its version check, so a replayed old row cannot evict the new owner.
  const releasePhone = db.prepare<[string, string]>('DELETE FROM customers WHERE phone = ? AND id <> ?');
  const upsertCustomer = db.prepare<[string, string, string, string, number, string]>(
    `INSERT INTO customers (id, phone, name, id_number, version, data) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET phone = excluded.phone, name = excluded.name, id_number = excluded.id_number,
       version = excluded.version, data = excluded.data`,
  );
  // Every entity but customer is (key, version, data): one upsert statement shape.
  const upsertDocument = perEntity(DOCUMENT_ENTITIES, (table, key) =>
    db.prepare<[string, number, string]>(
      `INSERT INTO ${table} (${key}, version, data) VALUES (?, ?, ?)
       ON CONFLICT (${key}) DO UPDATE SET version = excluded.version, data = excluded.data`,
    ),
  );

  function write(change: SyncedDocument): void {
    const json = JSON.stringify(change.data);
    switch (change.entity) {
      case 'customer':
        releasePhone.run(change.data.phone, change.id);
        upsertCustomer.run(change.id, change.data.phone, change.data.name, change.data.idNumber, change.version, json);
        return;
      default:
        upsertDocument[change.entity].run(change.id, change.version, json);
        return;
    }
  }

  return {
    versionOf: (entity, id) => versionOf[entity].get(id)?.version ?? null,
    write,
    remove: (entity, id) => void remove[entity].run(id),
  };
}

/**
 * Customers the feed or the snapshot served have entered the scope: they are no longer visitors, so the
 * operator's day ending keeps them (the feed, past them, would not send them again).
 */
export function admitToScope(syncState: SyncStateStore, customerIds: readonly string[]): void {
  const visitors = syncState.visitors();
  const admitted = new Set(customerIds.filter((id) => id in visitors));
  if (admitted.size > 0) syncState.setVisitors(Object.fromEntries(Object.entries(visitors).filter(([id]) => !admitted.has(id))));
}

/** Prepares the statements once; the returned function applies a page (already parsed by the API client). */
export function createChangeApplier(db: CacheDb): (page: SyncChangesResponse) => AppliedPage {
  const syncState = createSyncStateStore(db);
  const fillPinyinKeys = createPinyinKeyFiller(db);
  const { versionOf, write, remove } = createDocumentWriter(db);

  return db.transaction((page: SyncChangesResponse): AppliedPage => {
    let applied = 0;
    let skipped = 0;
    let deleted = 0;
    const touched = new Set<SyncEntity>();
    const appliedUpTo = syncState.cursor();
    const arrived: string[] = [];
    for (const change of page.changes) {
      if (change.seq <= appliedUpTo) {
        skipped += 1;
        continue;
      }
      const local = versionOf(change.entity, change.id);
      if (change.op === 'delete') {
        // A tombstone at or above the local version removes the row; an older replayed
        // tombstone must not delete a row the server re-created since.
        if (local !== null && local <= change.version) {
          remove(change.entity, change.id);
          deleted += 1;
          touched.add(change.entity);
        } else skipped += 1;
        continue;
      }
      // Served by the feed, even at the version a visitor's miss already cached: the customer is in the scope.
      if (change.entity === 'customer') arrived.push(change.id);
      if (local !== null && local >= change.version) {
        skipped += 1;
        continue;
      }
      write(change);
      applied += 1;
      touched.add(change.entity);
    }
    admitToScope(syncState, arrived);
    // New and renamed customers get their pinyin keys in the page's transaction.
    if (touched.has('customer')) fillPinyinKeys();
    const cursor = syncState.advanceCursor(page.nextCursor);
    return { applied, skipped, deleted, cursor, touched };
  });
}
