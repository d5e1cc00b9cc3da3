// Where each synced entity lives in the desk cache, described once for every writer of those
// tables (the change applier and the snapshot bootstrap) and for the benchmarks that count them.
import type { SyncEntity } from '../../shared/contract/entities';

export interface CacheTable {
  table: string;
  /** The key column. */
  key: string;
  /** The document field that holds the key. */
  keyField: string;
}

export const CACHE_TABLES: Readonly<Record<SyncEntity, CacheTable>> = {
  customer: { table: 'customers', key: 'id', keyField: 'id' },
  score: { table: 'scores', key: 'customer_id', keyField: 'customerId' },
  offer: { table: 'offers', key: 'id', keyField: 'id' },
  offer_stats: { table: 'offer_stats', key: 'offer_id', keyField: 'offerId' },
  contact_history: { table: 'contact_history', key: 'customer_id', keyField: 'customerId' },
  usage: { table: 'usage', key: 'customer_id', keyField: 'customerId' },
};
