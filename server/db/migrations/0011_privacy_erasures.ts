import type { Migration } from './migration';

export const migration0011PrivacyErasures: Migration = {
  version: 11,
  name: 'Privacy erasure log',
  statements: [
    // One row per erased customer: who asked for it, when and why, and how many rows each table lost;
    // nothing personal but the internal customer id, which a repeated request is checked against.
    `CREATE TABLE privacy_erasures (
      customer_id text PRIMARY KEY,
      erased_by   text NOT NULL,
      reason      text NOT NULL,
      erased_at   timestamptz NOT NULL,
      rows        jsonb NOT NULL
    )`,
  ],
};
