// One page of the bootstrap snapshot: the live rows of one synced table in key order, as the
// stored JSON text, with the highest committed change seq read in the same statement (one
// PostgreSQL snapshot), so the rows reflect at least every change up to that seq. A desk with a
// cache scope gets its scope's customers only.
import type { SyncEntity } from '../../shared/contract/entities';
import { CHANGE_LOG, commitOrderHorizon } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { maskIdNumberInJson } from '../http/id-number-masking';
import { CUSTOMER_ENTITIES, WHOLE_BOOK, type FeedScope, type IdNumberView } from './changes-page';
import { jsonArrayBody } from './json-array-body';
import { SYNCED_TABLES } from './synced-tables';

interface SnapshotRow {
  safe_cursor: number | null;
  id: string | null;
  version: number | null;
  data_text: string | null;
}

// The highest visible seq, capped at the change log's commit-order horizon ($3, or $4 when scoped;
// server/db/commit-order.ts), read before this statement: up to it nothing is still in flight, so
// the desk's feed can start there. A scope's membership changes count too ($3, the team).
const safeCursorSql = (scoped: boolean) =>
  `LEAST(GREATEST(${[
    ...Object.values(SYNCED_TABLES).map((t) => `(SELECT max(change_seq) FROM ${t.table})`),
    ...(scoped ? ['(SELECT max(change_seq) FROM cache_scope_members WHERE team = $3)'] : []),
  ].join(', ')}, 0), ${scoped ? '$4' : '$3'}::bigint)`;

// The LEFT JOIN keeps the safe cursor when the range is empty (one row of NULLs). A scoped page
// holds the scope's members only (a customer's rows follow the customer); offers are for every desk.
const pageSql = (entity: SyncEntity, scoped: boolean) => {
  const t = SYNCED_TABLES[entity];
  const inScope =
    scoped && CUSTOMER_ENTITIES.includes(entity)
      ? ` AND EXISTS (SELECT 1 FROM cache_scope_members m WHERE m.team = $3 AND m.customer_id = ${t.table}.${t.keyColumn} AND m.member)`
      : '';
  return `SELECT safe.safe_cursor, r.id, r.version, r.data_text
    FROM (SELECT ${safeCursorSql(scoped)} AS safe_cursor) AS safe
    LEFT JOIN (SELECT ${t.keyColumn} AS id, version, data::text AS data_text FROM ${t.table}
               WHERE NOT deleted AND ${t.keyColumn} > $1${inScope} ORDER BY ${t.keyColumn} LIMIT $2) AS r ON true
    ORDER BY r.id`;
};
const pageSqlOf = (scoped: boolean) =>
  Object.fromEntries(Object.keys(SYNCED_TABLES).map((e) => [e, pageSql(e as SyncEntity, scoped)])) as Record<SyncEntity, string>;
const PAGE_SQL = pageSqlOf(false);
const SCOPED_PAGE_SQL = pageSqlOf(true);

/** The page as the JSON body of GET /sync/snapshot (a ScopedSyncSnapshotResponse) in UTF-8, built as text like the change feed. */
export async function readSnapshotPageJson(
  db: SqlClient,
  entity: SyncEntity,
  afterKey: string,
  limit: number,
  idNumbers: IdNumberView,
  scope: FeedScope = WHOLE_BOOK,
): Promise<Buffer> {
  const horizon = await commitOrderHorizon(db, CHANGE_LOG);
  const rows =
    scope.team === null
      ? await db.query<SnapshotRow>(PAGE_SQL[entity], [afterKey, limit + 1, horizon])
      : await db.query<SnapshotRow>(SCOPED_PAGE_SQL[entity], [afterKey, limit + 1, scope.team, horizon]);
  const safeCursor = Number(rows[0]?.safe_cursor ?? 0);
  const live = rows.filter((row) => row.id !== null).slice(0, limit);
  const mask = idNumbers === 'masked' && entity === 'customer';
  const encoded = live.map((row) => {
    const text = mask ? maskIdNumberInJson(row.data_text as string) : (row.data_text as string);
    return `[${JSON.stringify(row.id)},${Number(row.version)},${JSON.stringify(text)}]`;
  });
  const nextKey = live.at(-1)?.id ?? afterKey;
  const hasMore = rows.filter((row) => row.id !== null).length > limit;
  return jsonArrayBody(
    `{"entity":"${entity}","safeCursor":${safeCursor},"rows":[`,
    encoded,
    `],"nextKey":${JSON.stringify(nextKey)},"hasMore":${hasMore},"scope":${JSON.stringify(scope.key)}}`,
  );
}
