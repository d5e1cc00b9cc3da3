// Builds the SyncStatus the renderer shows from what the cache records, plus the one fact only
// the running engine knows: whether the central API answered last time.
import type { SyncStatus } from '../../shared/contract/desk-api';
import type { CacheDb } from '../cache/open-cache';
import type { Outbox } from './outbox';
import type { SyncStateStore } from './sync-state';

export type SyncStatusReader = (online: boolean) => SyncStatus;

export function createSyncStatusReader(db: CacheDb, syncState: SyncStateStore, outbox: Outbox): SyncStatusReader {
  // count(*) walks the smallest index (phone), a few ms even for a large book.
  const countCustomers = db.prepare<[], number>('SELECT count(*) FROM customers').pluck();
  return (online) => {
    const counts = outbox.counts();
    return {
      online,
      cursor: syncState.cursor(),
      lastSyncAt: syncState.lastSyncAt(),
      outboxPending: counts.pending,
      outboxDead: counts.dead,
      oldestPendingAt: counts.oldestPendingAt,
      customersCached: countCustomers.get() ?? 0,
      lastError: syncState.lastError(),
    };
  };
}
