import type { Migration } from './migration';

export const migration0003OfferLearningContactsFulfilmentTeams: Migration = {
  version: 3,
  name: 'offer stats, contact history, fulfilment orders and teams',
  statements: [
    // The team an agent works in and a supervisor leads; null for admins and unassigned staff.
    `ALTER TABLE users ADD COLUMN team text`,
    `CREATE INDEX users_team_idx ON users (team, id)`,

    // Synced like offers (same change_seq sequence, same tombstone columns).
    `CREATE TABLE offer_stats (
      offer_id   text PRIMARY KEY,
      version    integer NOT NULL,
      change_seq bigint NOT NULL,
      deleted    boolean NOT NULL DEFAULT false,
      data       jsonb NOT NULL
    )`,
    `CREATE INDEX offer_stats_change_seq_idx ON offer_stats (change_seq)`,

    // last_contact_at is projected from the newest contact so the outbound queue can filter on it.
    `CREATE TABLE contact_history (
      customer_id     text PRIMARY KEY,
      version         integer NOT NULL,
      change_seq      bigint NOT NULL,
      deleted         boolean NOT NULL DEFAULT false,
      last_contact_at timestamptz,
      data            jsonb NOT NULL
    )`,
    `CREATE INDEX contact_history_change_seq_idx ON contact_history (change_seq)`,

    // One order per accepted outcome; ids are taken under the outcome log lock, so they become
    // visible in commit order and a back-office cursor never skips one.
    `CREATE TABLE fulfilment_orders (
      id          bigserial PRIMARY KEY,
      outcome_id  uuid NOT NULL UNIQUE,
      customer_id text,
      offer_id    text NOT NULL,
      action      text NOT NULL,
      plan_code   text,
      agent_id    text NOT NULL,
      status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
      created_at  timestamptz NOT NULL DEFAULT now()
    )`,

    // The outbound queue's at-risk slice reads warned customers only.
    `CREATE INDEX scores_warned_idx ON scores (warning_level) WHERE warning_level IN ('red', 'orange')`,
    // Latest outcome per customer (callbacks).
    `CREATE INDEX outcomes_customer_recorded_idx ON outcomes (customer_id, recorded_at)`,
  ],
};
