// The desk's sync status (outbox, last sync) and the agent's "sync now".
import type { SyncStatus } from '../../shared/contract/desk-api';
import { failureOf } from '../transport/desk-client';
import type { SliceContext } from './slice-context';

export interface SyncState {
  sync: SyncStatus | null;
}

export interface SyncActions {
  syncNow(): Promise<void>;
}

export const NO_SYNC: SyncState = { sync: null };

interface SyncDeps {
  /** Re-reads the card on screen, so its outcomes show their new sync state. */
  refreshCard(): Promise<void>;
}

export interface SyncSlice {
  actions: SyncActions;
  refreshSync(): Promise<void>;
  /** The backend reports a new sync status. */
  syncChanged(status: SyncStatus): void;
}

export function createSyncSlice({ client, set, get, noteFailure }: SliceContext, { refreshCard }: SyncDeps): SyncSlice {
  // A status asked before the backend announced a sync is older than that announcement: dropped, so
  // a late answer (the status asked at login, behind slower calls) never puts an older sync back.
  let announcements = 0;
  const ask = async (operation: 'sync/status' | 'sync/now') => {
    const announcedBefore = announcements;
    try {
      const status = await client.call(operation, {});
      if (operation === 'sync/status' && announcements !== announcedBefore) return;
      set({ sync: status });
    } catch (error) {
      noteFailure(failureOf(error));
    }
  };

  return {
    refreshSync: () => ask('sync/status'),

    syncChanged(status) {
      announcements += 1;
      const before = get().sync;
      set({ sync: status });
      const outboxMoved = before === null || before.outboxPending !== status.outboxPending || before.outboxDead !== status.outboxDead;
      // Only a card that lists outcomes (or just saved one) can show a changed sync state.
      const showsOutcomes = Boolean(get().current?.card.recentOutcomes.length) || get().outcome.savedOutcomeId !== null;
      if (outboxMoved && showsOutcomes) void refreshCard();
    },

    actions: {
      syncNow: () => ask('sync/now'),
    },
  };
}
