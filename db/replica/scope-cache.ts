// The desk's side of cache scopes (shared/contract/cache-scope.ts): which scope the synced rows
// were read for, starting over when the server names another one, and the customers cached beyond
// the scope after a miss ("visitors"), kept until the operator's day ends unless the feed brings them.
import type { CardByPhoneResponse } from '../../shared/contract/cache-scope';
import { WHOLE_BOOK_SCOPE } from '../../shared/contract/cache-scope';
import type { SyncEntity } from '../../shared/contract/entities';
import { DAY_MS, OPERATOR_UTC_OFFSET_MINUTES } from '../../shared/domain/operator-time';
import type { CacheDb } from '../cache/open-cache';
import { createCustomerPinyinKeyFiller } from '../cache/pinyin-keys';
import { createDocumentWriter, type SyncedDocument } from './apply-changes';
import { CACHE_TABLES } from './cache-tables';
import { downloadHoldsAllRowsOf } from './snapshot-bootstrap';
import { createSyncStateStore } from './sync-state';

/** The customer's own rows: what a scope holds or drops of a customer (offers are for every desk). */
const CUSTOMER_ENTITIES: readonly SyncEntity[] = ['customer', 'score', 'contact_history', 'usage'];

export interface ScopeCache {
  /** The scope the synced rows were read for; a cache synced before scopes existed holds the whole book; null before any sync. */
  held(): string | null;
  /** Records the scope of the first page read into an empty cache. */
  record(scope: string): void;
  /** Whether a number missing here may still be a customer: the cache holds part of the book, or has not finished downloading it. */
  mayMiss(): boolean;
  /** Whether a customer with this (normalised) number is cached with all their rows (during a download, once it wrote their last table). */
  holdsPhone(phone: string): boolean;
  /** Whether the customer with this id is cached with all their rows (as holdsPhone). */
  holdsCustomer(customerId: string): boolean;
  /**
   * Drops every customer's synced rows, the visitors and the cursor, so that the next pull downloads
   * the scope the server now names. Outcomes, outboxes, open interactions and offers stay.
   */
  startOver(): void;
  /** Caches a customer the central API answered for on a miss, until `until` (the feed may bring newer rows meanwhile). */
  keepVisitor(rows: CardByPhoneResponse['rows'], until: Date): void;
  /** Drops the visitors whose stay has ended; returns how many. */
  dropExpiredVisitors(now: Date): number;
}

/** The next midnight of the operator's day (China time): a visitor stays for the rest of the day it was looked up. */
export function endOfOperatorDay(at: Date): Date {
  const offset = OPERATOR_UTC_OFFSET_MINUTES * 60_000;
  return new Date(Math.floor((at.getTime() + offset) / DAY_MS) * DAY_MS + DAY_MS - offset);
}

export function createScopeCache(db: CacheDb): ScopeCache {
  const syncState = createSyncStateStore(db);
  const documents = createDocumentWriter(db);
  const fillPinyinKeysOf = createCustomerPinyinKeyFiller(db);
  const byPhone = db.prepare<[string], string>('SELECT id FROM customers WHERE phone = ?').pluck();
  const byId = db.prepare<[string], number>('SELECT 1 FROM customers WHERE id = ?').pluck();
  const clearCustomerRows = CUSTOMER_ENTITIES.map((entity) => db.prepare(`DELETE FROM ${CACHE_TABLES[entity].table}`));
  const clearNameKeys = db.prepare('DELETE FROM name_keys');

  const held = (): string | null => syncState.scope() ?? (syncState.cursor() > 0 ? WHOLE_BOOK_SCOPE : null);

  const startOver = db.transaction(() => {
    // Marked as a download under way, so the name-key triggers stand aside; the keys go in one statement.
    syncState.setSnapshotProgress('starting over');
    for (const clear of clearCustomerRows) clear.run();
    clearNameKeys.run();
    syncState.setSnapshotProgress(null);
    syncState.resetCursor();
    syncState.setScope(null);
    syncState.setVisitors({});
  });

  const keepVisitor = db.transaction((rows: CardByPhoneResponse['rows'], until: Date) => {
    const incoming = rows.map((row): SyncedDocument => {
      switch (row.entity) {
        case 'customer':
          return { entity: 'customer', id: row.data.id, version: row.data.version, data: row.data };
        case 'score':
          return { entity: 'score', id: row.data.customerId, version: row.data.version, data: row.data };
        case 'contact_history':
          return { entity: 'contact_history', id: row.data.customerId, version: row.data.version, data: row.data };
        case 'usage':
          return { entity: 'usage', id: row.data.customerId, version: row.data.version, data: row.data };
      }
    });
    const customerId = incoming.find((document) => document.entity === 'customer')?.id;
    if (customerId === undefined) throw new Error('the central API answered a card without its customer row');
    const customerWasHeld = documents.versionOf('customer', customerId) !== null;
    for (const document of incoming) if ((documents.versionOf(document.entity, document.id) ?? 0) < document.version) documents.write(document);
    // This customer's keys only: during a download the keys of every customer written so far are
    // missing until the end of the customer table, and filling them here held a ringing card for seconds.
    fillPinyinKeysOf(customerId);
    // A customer the scope already held is no visitor: the feed keeps them.
    if (!customerWasHeld) syncState.setVisitors({ ...syncState.visitors(), [customerId]: until.toISOString() });
  });

  const dropExpiredVisitors = db.transaction((now: Date): number => {
    const visitors = syncState.visitors();
    const expired = Object.entries(visitors).filter(([, until]) => new Date(until) <= now);
    for (const [id] of expired) for (const entity of CUSTOMER_ENTITIES) documents.remove(entity, id);
    if (expired.length > 0) syncState.setVisitors(Object.fromEntries(Object.entries(visitors).filter(([, until]) => new Date(until) > now)));
    return expired.length;
  });

  return {
    held,
    record: (scope) => syncState.setScope(scope),
    mayMiss: () => held() !== WHOLE_BOOK_SCOPE || syncState.snapshotProgress() !== null,
    holdsPhone(phone) {
      const customerId = byPhone.get(phone);
      return customerId !== undefined && downloadHoldsAllRowsOf(syncState.snapshotProgress(), customerId);
    },
    holdsCustomer: (customerId) => byId.get(customerId) !== undefined && downloadHoldsAllRowsOf(syncState.snapshotProgress(), customerId),
    startOver: () => startOver(),
    keepVisitor: (rows, until) => keepVisitor(rows, until),
    dropExpiredVisitors: (now) => dropExpiredVisitors(now),
  };
}
