import type { Migration } from './migration';

export const migration0012CacheScopes: Migration = {
  version: 12,
  name: 'cache scopes: the part of the book each team’s desks cache',
  statements: [
    // A team's desks cache the customers of these regions plus the server's hot set (at most
    // hot_set_cap customers); a team without a row caches the whole book. `generation` changes only
    // when the row is created, so a desk that synced another scope (or the whole book) downloads
    // this one afresh, while a change of regions or hot set reaches it as a difference.
    `CREATE SEQUENCE cache_scope_generation AS bigint`,
    `CREATE TABLE cache_scopes (
      team         text PRIMARY KEY,
      regions      text[] NOT NULL,
      hot_set_cap  integer NOT NULL CHECK (hot_set_cap >= 0),
      generation   bigint NOT NULL DEFAULT nextval('cache_scope_generation'),
      updated_by   text NOT NULL,
      updated_at   timestamptz NOT NULL DEFAULT now(),
      refreshed_at timestamptz
    )`,
    // Who is in each scope, written through the change log (server/sync/change-log.ts): a customer
    // entering or leaving a scope takes a change seq like any synced row, so the scope's desks get
    // exactly that difference in commit order. A leaver's row stays (member = false) as its tombstone.
    `CREATE TABLE cache_scope_members (
      team        text NOT NULL REFERENCES cache_scopes (team) ON DELETE CASCADE,
      customer_id text NOT NULL,
      member      boolean NOT NULL,
      hot         boolean NOT NULL,
      change_seq  bigint NOT NULL,
      PRIMARY KEY (team, customer_id)
    )`,
    `CREATE INDEX cache_scope_members_by_seq_idx ON cache_scope_members (team, change_seq)`,
    // The region scope reads customers by region.
    `CREATE INDEX customer_profiles_region_idx ON customer_profiles (region, customer_id)`,
    // The hot set's recent callers: a team's agents' calls of the last days.
    `CREATE INDEX cti_calls_agent_received_idx ON cti_calls (agent_id, received_at)`,
  ],
};
