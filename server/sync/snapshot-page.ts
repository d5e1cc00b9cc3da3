// One page of the bootstrap snapshot: the live rows of one synced table in key order, as the
// stored JSON text, with the highest committed change seq read in the same statement (one
// PostgreSQL snapshot), so the rows reflect at least every change up to that seq.
import type { SyncEntity } from '../../shared/contract/entities';
import type { SqlClient } from '../db/sql-client';
import { maskIdNumberInJson } from '../http/id-number-masking';
import type { IdNumberView } from './changes-page';
import { SYNCED_TABLES } from './synced-tables';

interface SnapshotRow {
  safe_cursor: number | null;
  id: string | null;
  version: number | null;
  data_text: string | null;
}

// Seqs become visible in commit order (change-log.ts), so the highest visible seq is a point up
// to which nothing is still in flight.
const SAFE_CURSOR_SQL = `GREATEST(${Object.values(SYNCED_TABLES)
  .map((t) => `(SELECT max(change_seq) FROM ${t.table})`)
  .join(', ')}, 0)`;

// The LEFT JOIN keeps the safe cursor when the range is empty (one row of NULLs).
const pageSql = (entity: SyncEntity) => {
  const t = SYNCED_TABLES[entity];
  return `SELECT safe.safe_cursor, r.id, r.version, r.data_text
    FROM (SELECT ${SAFE_CURSOR_SQL} AS safe_cursor) AS safe
    LEFT JOIN (SELECT ${t.keyColumn} AS id, version, data::text AS data_text FROM ${t.table}
               WHERE NOT deleted AND ${t.keyColumn} > $1 ORDER BY ${t.keyColumn} LIMIT $2) AS r ON true
    ORDER BY r.id`;
};
const PAGE_SQL = Object.fromEntries(Object.keys(SYNCED_TABLES).map((e) => [e, pageSql(e as SyncEntity)])) as Record<SyncEntity, string>;

/** The page as the JSON body of GET /sync/snapshot (a SyncSnapshotResponse), built as text like the change feed. */
export async function readSnapshotPageJson(db: SqlClient, entity: SyncEntity, afterKey: string, limit: number, idNumbers: IdNumberView): Promise<string> {
  const rows = await db.query<SnapshotRow>(PAGE_SQL[entity], [afterKey, limit + 1]);
  const safeCursor = Number(rows[0]?.safe_cursor ?? 0);
  const live = rows.filter((row) => row.id !== null).slice(0, limit);
  const mask = idNumbers === 'masked' && entity === 'customer';
  const encoded = live.map((row) => {
    const text = mask ? maskIdNumberInJson(row.data_text as string) : (row.data_text as string);
    return `[${JSON.stringify(row.id)},${Number(row.version)},${JSON.stringify(text)}]`;
  });
  const nextKey = live.at(-1)?.id ?? afterKey;
  const hasMore = rows.filter((row) => row.id !== null).length > limit;
  return `{"entity":"${entity}","safeCursor":${safeCursor},"rows":[${encoded.join(',')}],"nextKey":${JSON.stringify(nextKey)},"hasMore":${hasMore}}`;
}
