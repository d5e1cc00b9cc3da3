import type { Migration } from './migration';

export const migration0007OperatorImport: Migration = {
  version: 7,
  name: 'operator import: plans, usage, tickets, customer profiles',
  statements: [
    // The operator's plan codes (`clm import plans`). Customers' documents copy the name and fee,
    // so a card needs no join; the import checks every customer's plan code against this table.
    `CREATE TABLE plans (
      code        text PRIMARY KEY,
      name_zh     text NOT NULL,
      name_en     text NOT NULL,
      monthly_fee numeric(12, 2) NOT NULL CHECK (monthly_fee >= 0),
      updated_at  timestamptz NOT NULL DEFAULT now()
    )`,

    // Monthly bills and usage, one row per customer and month (`clm import usage`). Server-only:
    // the synced customer document carries a 12-month window derived from these rows, rewritten
    // only when the signals it gives change materially (server/import/usage-window.ts).
    `CREATE TABLE customer_usage (
      customer_id   text NOT NULL,
      month         text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
      arpu          numeric(12, 2) NOT NULL CHECK (arpu >= 0),
      data_gb       numeric(12, 3) NOT NULL CHECK (data_gb >= 0),
      voice_minutes numeric(12, 1) NOT NULL CHECK (voice_minutes >= 0),
      sms           integer NOT NULL CHECK (sms >= 0),
      PRIMARY KEY (customer_id, month)
    )`,
    `CREATE INDEX customer_usage_month_idx ON customer_usage (month)`,

    // Complaint and network-fault tickets from the operator's systems (clm import complaints).
    `CREATE TABLE customer_tickets (
      ticket_id   text PRIMARY KEY,
      customer_id text NOT NULL,
      opened_on   date NOT NULL,
      category    text NOT NULL CHECK (category IN ('complaint', 'network_issue'))
    )`,
    `CREATE INDEX customer_tickets_customer_idx ON customer_tickets (customer_id, opened_on)`,

    // What the operator's file says about a customer that the synced contract has no field for
    // yet: region and further phone numbers. extra_phone is unique across customers, and the
    // import refuses a number that is another customer's main or extra number.
    `CREATE TABLE customer_profiles (
      customer_id text PRIMARY KEY,
      region      text
    )`,
    `CREATE TABLE customer_extra_phones (
      phone       text PRIMARY KEY,
      customer_id text NOT NULL
    )`,
    `CREATE INDEX customer_extra_phones_customer_idx ON customer_extra_phones (customer_id)`,
  ],
};
