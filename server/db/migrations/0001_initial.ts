import type { Migration } from './migration';

export const migration0001Initial: Migration = {
  version: 1,
  name: 'initial',
  statements: [
    // One sequence for customers, scores and offers: the download cursor of the desk.
    `CREATE SEQUENCE sync_change_seq AS bigint`,

    `CREATE TABLE users (
      id            text PRIMARY KEY,
      username      text NOT NULL UNIQUE,
      role          text NOT NULL CHECK (role IN ('agent', 'store', 'supervisor', 'admin')),
      display_name  text NOT NULL,
      password_hash text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now()
    )`,

    // Identity columns are nullable because a tombstone keeps only id, version and change_seq.
    `CREATE TABLE customers (
      id         text PRIMARY KEY,
      phone      text UNIQUE,
      name       text,
      id_number  text,
      plan_code  text,
      status     text,
      version    integer NOT NULL,
      change_seq bigint NOT NULL,
      deleted    boolean NOT NULL DEFAULT false,
      data       jsonb NOT NULL
    )`,
    `CREATE INDEX customers_change_seq_idx ON customers (change_seq)`,

    `CREATE TABLE scores (
      customer_id       text PRIMARY KEY REFERENCES customers (id),
      version           integer NOT NULL,
      change_seq        bigint NOT NULL,
      stage             text,
      value_tier        text,
      churn_probability double precision,
      warning_level     text,
      deleted           boolean NOT NULL DEFAULT false,
      data              jsonb NOT NULL
    )`,
    `CREATE INDEX scores_change_seq_idx ON scores (change_seq)`,

    `CREATE TABLE offers (
      id         text PRIMARY KEY,
      version    integer NOT NULL,
      change_seq bigint NOT NULL,
      deleted    boolean NOT NULL DEFAULT false,
      data       jsonb NOT NULL
    )`,
    `CREATE INDEX offers_change_seq_idx ON offers (change_seq)`,

    `CREATE TABLE outcomes (
      outcome_id  uuid PRIMARY KEY,
      server_seq  bigserial NOT NULL UNIQUE,
      device_id   text NOT NULL,
      client_seq  bigint NOT NULL,
      agent_id    text NOT NULL,
      customer_id text,
      offer_id    text,
      result      text NOT NULL,
      channel     text NOT NULL,
      recorded_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      payload     jsonb NOT NULL
    )`,
    `CREATE INDEX outcomes_customer_idx ON outcomes (customer_id)`,
    `CREATE INDEX outcomes_agent_recorded_idx ON outcomes (agent_id, recorded_at)`,

    `CREATE TABLE devices (
      device_id               text PRIMARY KEY,
      last_applied_client_seq bigint NOT NULL DEFAULT 0,
      updated_at              timestamptz NOT NULL DEFAULT now()
    )`,

    `CREATE TABLE cti_calls (
      id          bigserial PRIMARY KEY,
      call_id     text NOT NULL,
      ani         text NOT NULL,
      agent_id    text NOT NULL,
      event       text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX cti_calls_call_id_idx ON cti_calls (call_id)`,
  ],
};
