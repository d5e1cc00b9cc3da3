import type { Migration } from './migration';

export const migration0005ScoringBundlesAndCustomerEvents: Migration = {
  version: 5,
  name: 'scoring bundles and customer events',
  statements: [
    // What a desk needs to re-score one customer itself (shared/analytics/scoring-bundle.ts):
    // data holds model, lifecycle, value and calibration; version grows only when data changes.
    `CREATE TABLE scoring_bundles (
      id           text PRIMARY KEY,
      version      integer NOT NULL,
      data         jsonb NOT NULL,
      published_at timestamptz NOT NULL
    )`,

    // Complaints and network faults logged on the desk. event_id is the desk's idempotency key;
    // applied_at_seq is the highest change seq the fold and re-score took, set in the same
    // transaction as the insert, so a resend answers with it without folding again.
    `CREATE TABLE customer_events (
      event_id       uuid PRIMARY KEY,
      server_seq     bigserial NOT NULL UNIQUE,
      device_id      text NOT NULL,
      agent_id       text NOT NULL,
      customer_id    text NOT NULL,
      kind           text NOT NULL,
      recorded_at    timestamptz NOT NULL,
      received_at    timestamptz NOT NULL DEFAULT now(),
      applied_at_seq bigint NOT NULL,
      payload        jsonb NOT NULL
    )`,
    `CREATE INDEX customer_events_customer_idx ON customer_events (customer_id, server_seq)`,
  ],
};
