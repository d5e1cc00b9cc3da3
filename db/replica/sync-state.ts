// Typed access to the sync_state key/value table: the download cursor, this device's identity
// and client sequence, the last sync result, and the cache scope held with the customers cached
// beyond it for the day (visitors). Callers wrap writes in their own transactions.
import { randomUUID } from 'node:crypto';
import { SNAPSHOT_PROGRESS_KEY } from '../cache/migrations';
import type { CacheDb } from '../cache/open-cache';

type SyncStateKey = 'cursor' | 'device_id' | 'next_client_seq' | 'last_sync_at' | 'last_error' | 'scope' | 'visitors' | typeof SNAPSHOT_PROGRESS_KEY;

/** Customers cached outside the scope after a miss, each with the instant their stay ends (ISO). */
export type Visitors = Record<string, string>;

export interface SyncStateStore {
  cursor(): number;
  /** Moves the cursor forward only; a stale value is ignored. */
  advanceCursor(to: number): number;
  /** Back to 0: only for a cache whose synced rows were just dropped (a new cache scope, see scope-cache.ts). */
  resetCursor(): void;
  /** The key of the cache scope the synced rows were read for (see shared/contract/cache-scope.ts); null before the first page. */
  scope(): string | null;
  setScope(scope: string | null): void;
  visitors(): Visitors;
  setVisitors(visitors: Visitors): void;
  /** Created once per cache file, so a reinstalled desk with the same cache keeps its identity. */
  deviceId(): string;
  /** Returns the next per-device client sequence and reserves it. Call inside the writing transaction. */
  takeClientSeq(): number;
  lastSyncAt(): string | null;
  setLastSyncAt(iso: string): void;
  lastError(): string | null;
  setLastError(message: string | null): void;
  /** How far a snapshot bootstrap got (JSON text, see snapshot-bootstrap.ts); null when none is under way. */
  snapshotProgress(): string | null;
  setSnapshotProgress(progress: string | null): void;
}

export function createSyncStateStore(db: CacheDb): SyncStateStore {
  const get = db.prepare<[SyncStateKey], { value: unknown }>('SELECT value FROM sync_state WHERE key = ?');
  const put = db.prepare<[SyncStateKey, unknown]>('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const putIfAbsent = db.prepare<[SyncStateKey, unknown]>('INSERT OR IGNORE INTO sync_state (key, value) VALUES (?, ?)');

  const read = (key: SyncStateKey): unknown => get.get(key)?.value ?? null;
  const readInt = (key: SyncStateKey, fallback: number): number => {
    const value = read(key);
    return typeof value === 'number' ? value : fallback;
  };
  const readText = (key: SyncStateKey): string | null => {
    const value = read(key);
    return typeof value === 'string' ? value : null;
  };

  const advanceCursor = db.transaction((to: number): number => {
    const current = readInt('cursor', 0);
    if (to > current) put.run('cursor', to);
    return Math.max(current, to);
  });

  return {
    cursor: () => readInt('cursor', 0),
    advanceCursor: (to) => advanceCursor(to),
    resetCursor: () => void put.run('cursor', 0),
    scope: () => readText('scope'),
    setScope: (scope) => void put.run('scope', scope),
    visitors() {
      const text = readText('visitors');
      return text === null ? {} : (JSON.parse(text) as Visitors);
    },
    setVisitors: (visitors) => void put.run('visitors', Object.keys(visitors).length === 0 ? null : JSON.stringify(visitors)),
    deviceId() {
      putIfAbsent.run('device_id', randomUUID());
      const id = readText('device_id');
      if (id === null) throw new Error('sync_state.device_id is not text');
      return id;
    },
    takeClientSeq() {
      const seq = readInt('next_client_seq', 1);
      put.run('next_client_seq', seq + 1);
      return seq;
    },
    lastSyncAt: () => readText('last_sync_at'),
    setLastSyncAt: (iso) => void put.run('last_sync_at', iso),
    lastError: () => readText('last_error'),
    setLastError: (message) => void put.run('last_error', message),
    snapshotProgress: () => readText(SNAPSHOT_PROGRESS_KEY),
    setSnapshotProgress: (progress) => void put.run(SNAPSHOT_PROGRESS_KEY, progress),
  };
}
