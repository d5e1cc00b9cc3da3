// One page of the change feed: rows of all synced tables with change_seq > after, in seq order.
import type { Customer, CustomerScore, Offer, SyncEntity } from '../../shared/contract/entities';
import type { SyncChange, SyncChangesResponse } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { SYNCED_TABLES } from './synced-tables';

interface ChangeRow {
  entity: SyncEntity;
  id: string;
  version: number;
  change_seq: number;
  deleted: boolean;
  data: unknown;
}

// Each branch walks its own change_seq index and stops after `limit` rows, so a page costs
// O(limit) per table however long the log is; the outer ORDER BY merges the three short lists.
export const CHANGES_PAGE_SQL = `SELECT entity, id, version, change_seq, deleted, data FROM (${Object.values(SYNCED_TABLES)
  .map(
    (t) => `(SELECT '${t.entity}' AS entity, ${t.keyColumn} AS id, version, change_seq, deleted, data
      FROM ${t.table} WHERE change_seq > $1 ORDER BY change_seq LIMIT $2)`,
  )
  .join(' UNION ALL ')}) AS page ORDER BY change_seq LIMIT $2`;

function toSyncChange(row: ChangeRow): SyncChange {
  const base = { seq: row.change_seq, id: row.id, version: row.version };
  if (row.deleted) return { ...base, op: 'delete', entity: row.entity };
  // Documents were validated by the change-log writers; the response serializer checks them again.
  switch (row.entity) {
    case 'customer':
      return { ...base, op: 'upsert', entity: 'customer', data: row.data as Customer };
    case 'score':
      return { ...base, op: 'upsert', entity: 'score', data: row.data as CustomerScore };
    case 'offer':
      return { ...base, op: 'upsert', entity: 'offer', data: row.data as Offer };
  }
}

export async function readChangesPage(db: SqlClient, after: number, limit: number): Promise<SyncChangesResponse> {
  // One extra row tells whether another page follows.
  const rows = await db.query<ChangeRow>(CHANGES_PAGE_SQL, [after, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    changes: page.map(toSyncChange),
    nextCursor: last === undefined ? after : last.change_seq,
    hasMore: rows.length > limit,
  };
}
