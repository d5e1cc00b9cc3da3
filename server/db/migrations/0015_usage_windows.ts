import type { Migration } from './migration';

export const migration0015UsageWindows: Migration = {
  version: 15,
  name: 'usage windows synced as their own rows',
  statements: [
    // Each customer's last 12 months of bills as one compact synced document (CustomerUsage), written by
    // `clm import usage` through the change log (server/import/import-usage.ts). A month close re-versions
    // these rows only, so desks download a small row per billed customer instead of every customer document.
    // Where a customer has one, it replaces the monthly series of their document for every reader.
    `CREATE TABLE customer_usage_windows (
      customer_id text PRIMARY KEY,
      version     integer NOT NULL,
      change_seq  bigint NOT NULL,
      deleted     boolean NOT NULL DEFAULT false,
      data        jsonb NOT NULL
    )`,
    `CREATE INDEX customer_usage_windows_change_seq_idx ON customer_usage_windows (change_seq)`,
  ],
};
