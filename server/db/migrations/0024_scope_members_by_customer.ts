import type { Migration } from './migration';

// The outbound share asks, for each at-risk customer, which teams' scopes hold them
// (server/sync/cache-scopes.ts). The primary key (team, customer_id) answers that with one descent
// per team; this index with one per customer, whatever the number of teams. It leads with the
// customer id, the table's distribution key on Citus, so each shard answers from its own index.
// Only members: a customer who left a scope keeps a tombstone row the probe never wants.
export const migration0024ScopeMembersByCustomer: Migration = {
  version: 24,
  name: 'cache scope members by customer',
  statements: [`CREATE INDEX cache_scope_members_by_customer_idx ON cache_scope_members (customer_id, team) WHERE member`],
};
