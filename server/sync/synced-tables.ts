// The tables the desk downloads, described once so the writers and the change feed
// generate their SQL from the same facts.
import type { SyncEntity } from '../../shared/contract/entities';

export interface SyncedTable {
  entity: SyncEntity;
  table: string;
  keyColumn: string;
  /** Field of the JSON document that holds the key. */
  keyField: string;
  /** Real columns copied out of the JSON document `d` for indexing and reporting. */
  projectedColumns: Readonly<Record<string, string>>;
}

export const SYNCED_TABLES: Readonly<Record<SyncEntity, SyncedTable>> = {
  customer: {
    entity: 'customer',
    table: 'customers',
    keyColumn: 'id',
    keyField: 'id',
    projectedColumns: {
      phone: `d->>'phone'`,
      name: `d->>'name'`,
      id_number: `d->>'idNumber'`,
      plan_code: `d->>'planCode'`,
      status: `d->>'status'`,
    },
  },
  score: {
    entity: 'score',
    table: 'scores',
    keyColumn: 'customer_id',
    keyField: 'customerId',
    projectedColumns: {
      stage: `d->>'stage'`,
      value_tier: `d->>'valueTier'`,
      churn_probability: `(d->>'churnProbability')::double precision`,
      warning_level: `d->>'warningLevel'`,
    },
  },
  offer: { entity: 'offer', table: 'offers', keyColumn: 'id', keyField: 'id', projectedColumns: {} },
  offer_stats: { entity: 'offer_stats', table: 'offer_stats', keyColumn: 'offer_id', keyField: 'offerId', projectedColumns: {} },
  contact_history: {
    entity: 'contact_history',
    table: 'contact_history',
    keyColumn: 'customer_id',
    keyField: 'customerId',
    // Contacts are kept newest first, so the first one is the last contact.
    projectedColumns: { last_contact_at: `(d->'contacts'->0->>'at')::timestamptz` },
  },
  // Monthly bills as one compact row per customer (migration 15): a month close re-versions these, not customers.
  usage: { entity: 'usage', table: 'customer_usage_windows', keyColumn: 'customer_id', keyField: 'customerId', projectedColumns: {} },
};
