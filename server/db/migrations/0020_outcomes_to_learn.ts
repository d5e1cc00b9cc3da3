import type { Migration } from './migration';

// Outcomes stored but not yet learned from (offer stats, contact histories: server/outcomes/learning.ts).
// Every upload used to rewrite the offer_stats rows of the offers it presented, so concurrent
// uploads queued on a handful of rows, and its synced-table writes made every commit NOTIFY, which
// PostgreSQL serialises. An upload now learns only when no one else is learning and otherwise
// appends its outcomes' keys here, in its own transaction; the learner claims (deletes) them and
// writes what they teach in one transaction. Insert-only between learners and read whole: no index.
export const migration0020OutcomesToLearn: Migration = {
  version: 20,
  name: 'outcomes to learn',
  statements: [
    `CREATE TABLE outcomes_to_learn (
      outcome_id  uuid NOT NULL,
      recorded_at timestamptz NOT NULL,
      stored_at   timestamptz NOT NULL
    )`,
  ],
};
