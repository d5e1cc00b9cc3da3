// Events logged on this desk that the synced customer row does not include yet: pending ones, and
// acked ones whose folding change (applied_at_seq) is still above the download cursor. Once the
// cursor passes it, the synced row carries the event and the overlay drops it by itself, so the
// card counts every event exactly once. Only customers known to have such events pay a statement:
// their ids are held in memory and pruned lazily when a lookup finds nothing left to overlay.
import type { CustomerEventKind } from '../../shared/contract/customer-events';
import type { CacheDb } from './open-cache';

export interface CustomerEventOverlay {
  /** The event kinds to fold into this customer's synced row (empty for nearly every caller). */
  kindsFor(customerId: string): CustomerEventKind[];
  /** Call after an event of this customer was recorded. */
  track(customerId: string): void;
}

const NOT_YET_SYNCED = `(state = 'pending' OR (state = 'acked' AND applied_at_seq > coalesce((SELECT value FROM sync_state WHERE key = 'cursor'), 0)))`;
/** Read at every cache open; found by customer_events_by_state (exported for the migration test of its plan). */
export const CUSTOMERS_WITH_UNSYNCED_EVENTS_SQL = `SELECT DISTINCT customer_id FROM customer_events WHERE ${NOT_YET_SYNCED}`;

export function createCustomerEventOverlay(db: CacheDb): CustomerEventOverlay {
  const customersWithEvents = db.prepare<[], string>(CUSTOMERS_WITH_UNSYNCED_EVENTS_SQL).pluck();
  const kindsOf = db
    .prepare<[string], CustomerEventKind>(`SELECT kind FROM customer_events WHERE customer_id = ? AND ${NOT_YET_SYNCED} ORDER BY recorded_at, event_id`)
    .pluck();
  const tracked = new Set(customersWithEvents.all());

  return {
    kindsFor(customerId) {
      if (!tracked.has(customerId)) return [];
      const kinds = kindsOf.all(customerId);
      if (kinds.length === 0) tracked.delete(customerId);
      return kinds;
    },
    track: (customerId) => void tracked.add(customerId),
  };
}
