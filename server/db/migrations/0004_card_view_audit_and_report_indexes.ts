import type { Migration } from './migration';

export const migration0004CardViewAuditAndReportIndexes: Migration = {
  version: 4,
  name: 'card view audit and report indexes',
  statements: [
    // Who opened which customer's card, when and why. view_id is the desk's idempotency key;
    // phone_masked never holds a clear number (the route refuses one).
    `CREATE TABLE card_view_audit (
      server_seq   bigserial NOT NULL UNIQUE,
      view_id      uuid NOT NULL UNIQUE,
      agent_id     text NOT NULL,
      customer_id  text,
      phone_masked text,
      purpose      text NOT NULL,
      call_id      text,
      viewed_at    timestamptz NOT NULL,
      received_at  timestamptz NOT NULL DEFAULT now(),
      device_id    text NOT NULL
    )`,
    `CREATE INDEX card_view_audit_customer_idx ON card_view_audit (customer_id, server_seq)`,
    // Supervisor reports select a period of outcomes and of calls.
    `CREATE INDEX outcomes_recorded_idx ON outcomes (recorded_at)`,
    `CREATE INDEX cti_calls_received_idx ON cti_calls (received_at)`,
  ],
};
