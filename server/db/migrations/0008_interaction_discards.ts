import type { Migration } from './migration';

export const migration0008InteractionDiscards: Migration = {
  version: 8,
  name: 'interaction discards',
  statements: [
    // Calls an agent closed without an outcome: append-only, keyed by the desk's discardId, read by
    // supervisors with a cursor (server_seq, made visible in commit order under a lock).
    `CREATE TABLE interaction_discards (
      server_seq     bigserial PRIMARY KEY,
      discard_id     uuid NOT NULL UNIQUE,
      interaction_id text NOT NULL,
      agent_id       text NOT NULL,
      customer_id    text,
      call_id        text,
      phone_masked   text,
      state          text NOT NULL,
      opened_at      timestamptz NOT NULL,
      reason         text NOT NULL,
      draft          jsonb NOT NULL,
      discarded_at   timestamptz NOT NULL,
      device_id      text NOT NULL,
      received_at    timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX interaction_discards_agent_idx ON interaction_discards (agent_id, server_seq)`,
  ],
};
