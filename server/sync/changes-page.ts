// One page of the change feed: rows of all synced tables with change_seq > after, in seq order.
import type { SyncEntity } from '../../shared/contract/entities';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { maskIdNumberInJson } from '../http/id-number-masking';
import { SYNCED_TABLES } from './synced-tables';

interface ChangeRow {
  entity: SyncEntity;
  id: string;
  version: number;
  change_seq: number;
  deleted: boolean;
  /** The stored document as JSON text: served as-is, never parsed and re-serialized. */
  data_text: string;
}

// Each branch walks its own change_seq index and stops after `limit` rows, so a page costs
// O(limit) per table however long the log is; the outer ORDER BY merges the short lists.
export const CHANGES_PAGE_SQL = `SELECT entity, id, version, change_seq, deleted, data_text FROM (${Object.values(SYNCED_TABLES)
  .map(
    (t) => `(SELECT '${t.entity}' AS entity, ${t.keyColumn} AS id, version, change_seq, deleted, data::text AS data_text
      FROM ${t.table} WHERE change_seq > $1 ORDER BY change_seq LIMIT $2)`,
  )
  .join(' UNION ALL ')}) AS page ORDER BY change_seq LIMIT $2`;

/** Whether customers' ID numbers are served in full or masked (by the caller's role: see id-number-masking.ts). */
export type IdNumberView = 'full' | 'masked';

/**
 * One change as JSON text. Documents were validated by the change-log writers (which also keep
 * their `version` equal to the row's), so they are spliced in as stored: the sync page is the
 * hot path of an initial sync, and parsing and re-serializing a million documents is most of its cost.
 */
function changeJson(row: ChangeRow, idNumbers: IdNumberView): string {
  const head = `{"seq":${Number(row.change_seq)},"id":${JSON.stringify(row.id)},"version":${Number(row.version)},`;
  if (row.deleted) return `${head}"op":"delete","entity":"${row.entity}"}`;
  const data = idNumbers === 'masked' && row.entity === 'customer' ? maskIdNumberInJson(row.data_text) : row.data_text;
  return `${head}"op":"upsert","entity":"${row.entity}","data":${data}}`;
}

/** The page as the JSON body of GET /sync/changes (a SyncChangesResponse). */
export async function readChangesPageJson(db: SqlClient, after: number, limit: number, idNumbers: IdNumberView): Promise<string> {
  // One extra row tells whether another page follows.
  const rows = await db.query<ChangeRow>(CHANGES_PAGE_SQL, [after, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = last === undefined ? after : Number(last.change_seq);
  return `{"changes":[${page.map((row) => changeJson(row, idNumbers)).join(',')}],"nextCursor":${nextCursor},"hasMore":${rows.length > limit}}`;
}

/** The page as stored (ID numbers in full): for server-side readers, not for serving. */
export async function readChangesPage(db: SqlClient, after: number, limit: number): Promise<SyncChangesResponse> {
  return SyncChangesResponse.parse(JSON.parse(await readChangesPageJson(db, after, limit, 'full')));
}
