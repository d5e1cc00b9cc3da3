import type { Migration } from './migration';

// What an outcome batch adds to an offer's learned counts, appended here instead of rewriting the
// offer's offer_stats row: every upload presenting an offer used to rewrite that row, so concurrent
// uploads queued on a handful of rows until each other's commits. A fold (server/outcomes/offer-stats.ts)
// moves the rows into offer_stats (and so into the change feed) and deletes them in one transaction.
// Insert-only between folds and read whole by the fold: no key, no index to maintain on the hot path.
export const migration0020OfferStatIncrements: Migration = {
  version: 20,
  name: 'offer stat increments',
  statements: [
    `CREATE TABLE offer_stat_increments (
      offer_id   text NOT NULL,
      segment    text NOT NULL,
      presented  integer NOT NULL CHECK (presented > 0),
      accepted   integer NOT NULL CHECK (accepted >= 0 AND accepted <= presented),
      counted_at timestamptz NOT NULL
    )`,
  ],
};
