// One page of the change feed: rows of all synced tables with change_seq > after, in seq order, up
// to the change log's commit-order horizon (server/db/commit-order.ts: no seq a transaction still
// in flight may fill is passed over); for a desk with a cache scope, only its scope's customers (and every offer).
import type { SyncEntity } from '../../shared/contract/entities';
import { WHOLE_BOOK_SCOPE } from '../../shared/contract/cache-scope';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import { CHANGE_LOG, commitOrderHorizon } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { maskIdNumberInJson } from '../http/id-number-masking';
import { jsonArrayBody } from './json-array-body';
import { SYNCED_TABLES } from './synced-tables';

// Each branch walks its own change_seq index and stops after `limit` rows, so a page costs
// O(limit) per table however long the log is; the outer ORDER BY merges the short lists. $3: the horizon.
export const CHANGES_PAGE_SQL = `SELECT entity, id, version, change_seq, deleted, data FROM (${Object.values(SYNCED_TABLES)
  .map(
    (t) => `(SELECT '${t.entity}' AS entity, ${t.keyColumn} AS id, version, change_seq, deleted, data
      FROM ${t.table} WHERE change_seq > $1 AND change_seq <= $3 ORDER BY change_seq LIMIT $2)`,
  )
  .join(' UNION ALL ')}) AS page ORDER BY change_seq LIMIT $2`;

/** The entities that belong to a customer, and so to a cache scope; offers and their statistics are for every desk. */
export const CUSTOMER_ENTITIES: readonly SyncEntity[] = ['customer', 'score', 'contact_history', 'usage'];

const member = (customerId: string) => `EXISTS (SELECT 1 FROM cache_scope_members m WHERE m.team = $3 AND m.customer_id = ${customerId} AND m.member)`;

// The feed of one scope ($3, the team): its members' own changes, every customer's deletes (a desk
// may hold a non-member as a visitor after a miss, and an erased customer must leave it too; a desk
// without the row ignores them), every desk's offers and offer stats, and the scope's membership changes, each served at the seq of the membership row: a
// customer entering comes with its current rows (whatever their seqs), one leaving as deletes of
// them at their current versions. Rows of one entering customer share a seq: see readChangesPageJson. $4: the horizon.
export const SCOPED_CHANGES_PAGE_SQL = `SELECT entity, id, version, change_seq, deleted, data FROM (${[
  ...Object.values(SYNCED_TABLES).map((t) => {
    const scoped = CUSTOMER_ENTITIES.includes(t.entity);
    return `(SELECT '${t.entity}' AS entity, ${t.keyColumn} AS id, version, change_seq, deleted, data
      FROM ${t.table} WHERE change_seq > $1 AND change_seq <= $4${scoped ? ` AND (deleted OR ${member(`${t.table}.${t.keyColumn}`)})` : ''} ORDER BY change_seq LIMIT $2)`;
  }),
  ...CUSTOMER_ENTITIES.map((entity) => {
    const t = SYNCED_TABLES[entity];
    return `(SELECT '${t.entity}' AS entity, r.${t.keyColumn} AS id, r.version, m.change_seq, r.deleted OR NOT m.member AS deleted, r.data
      FROM cache_scope_members m JOIN ${t.table} r ON r.${t.keyColumn} = m.customer_id
      WHERE m.team = $3 AND m.change_seq > $1 AND m.change_seq <= $4 ORDER BY m.change_seq LIMIT $2)`;
  }),
].join(' UNION ALL ')}) AS page ORDER BY change_seq, entity LIMIT $2`;

/** Whether customers' ID numbers are served in full or masked (by the caller's role: see id-number-masking.ts). */
export type IdNumberView = 'full' | 'masked';

/**
 * Each change as JSON text, written by PostgreSQL. Documents were validated by the change-log
 * writers (which also keep their `version` equal to the row's), so they are spliced in as stored,
 * never parsed and re-serialized: the sync page is the hot path of an initial sync. Node only
 * masks and writes the texts out (jsonArrayBody). A text per row, not the page as one aggregate: building the page
 * (seq boundary, masking) in PostgreSQL cost it twice a bare SELECT of the rows, and saved the API no more than
 * that; the database is the part of the deployment that does not scale out.
 */
// Three columns, not the five a change is made of: each further column costs the driver a decode and a parse per row.
const pageRowsSql = (rowsSql: string, order: string) => `SELECT change_seq, entity = 'customer' AND NOT deleted AS customer_document,
    '{"seq":' || change_seq || ',"id":' || to_json(id)::text || ',"version":' || version ||
    CASE WHEN deleted THEN ',"op":"delete","entity":"' || entity || '"}' ELSE ',"op":"upsert","entity":"' || entity || '","data":' || data::text || '}' END AS change
  FROM (${rowsSql}) AS r ORDER BY ${order}`;

const CHANGES_PAGE_ROWS_SQL = pageRowsSql(CHANGES_PAGE_SQL, 'change_seq');
const SCOPED_CHANGES_PAGE_ROWS_SQL = pageRowsSql(SCOPED_CHANGES_PAGE_SQL, 'change_seq, entity');

interface ChangeRow {
  change_seq: number;
  /** Whether the change carries a customer's document (whose ID number a masked page hides). */
  customer_document: boolean;
  /** The change as JSON text, its document as stored (ID number in full). */
  change: string;
}

/** Whose changes a page holds: every customer's (the whole book), or the members of one team's cache scope. */
export type FeedScope = { key: string; team: string | null };

/** The scope of a desk that caches the whole book, as server-side readers see it. */
export const WHOLE_BOOK: FeedScope = { key: WHOLE_BOOK_SCOPE, team: null };

/** A customer entering a scope brings up to this many rows at one seq. */
const ROWS_PER_SEQ_MAX = CUSTOMER_ENTITIES.length;

/**
 * The page as the JSON body of GET /sync/changes (a ScopedSyncChangesResponse) in UTF-8, up to `horizon`
 * when the caller read it already (in an earlier statement: see commit-order.ts), else read here.
 */
export async function readChangesPageJson(
  db: SqlClient,
  after: number,
  limit: number,
  idNumbers: IdNumberView,
  scope: FeedScope = WHOLE_BOOK,
  horizon?: number,
): Promise<Buffer> {
  // Read before the page, in its own statement, so the page's snapshot is the newer one.
  const readTo = horizon ?? (await commitOrderHorizon(db, CHANGE_LOG));
  // A desk at the horizon (an idle desk's poll) has nothing to read: the same empty page, without the page query.
  if (after >= readTo) return Buffer.from(emptyPageJson(after, scope));
  const rows =
    scope.team === null
      ? await db.query<ChangeRow>(CHANGES_PAGE_ROWS_SQL, [after, limit + 1, readTo])
      : await db.query<ChangeRow>(SCOPED_CHANGES_PAGE_ROWS_SQL, [after, limit + ROWS_PER_SEQ_MAX, scope.team, readTo]);
  // Rows beyond the limit tell whether another page follows, and let the page end on a whole seq:
  // the cursor moves to the page's last seq, so a seq's rows must never be split across pages.
  let end = Math.min(limit, rows.length);
  while (end < rows.length && end > 0 && Number(rows[end]!.change_seq) === Number(rows[end - 1]!.change_seq)) end += 1;
  const page = rows.slice(0, end);
  const masked = idNumbers === 'masked';
  const changes = page.map((row) => (masked && row.customer_document ? maskIdNumberInJson(row.change) : row.change));
  const nextCursor = page.length === 0 ? after : Number(page.at(-1)!.change_seq);
  return jsonArrayBody('{"changes":[', changes, `],"nextCursor":${nextCursor},"hasMore":${rows.length > end},"scope":${JSON.stringify(scope.key)}}`);
}

/** A page with no changes: for a desk at the horizon, or one whose cache holds another scope (to download afresh). */
export const emptyPageJson = (after: number, scope: FeedScope) => `{"changes":[],"nextCursor":${after},"hasMore":false,"scope":${JSON.stringify(scope.key)}}`;

/** The page as stored (ID numbers in full): for server-side readers, not for serving. */
export async function readChangesPage(db: SqlClient, after: number, limit: number): Promise<SyncChangesResponse> {
  return SyncChangesResponse.parse(JSON.parse((await readChangesPageJson(db, after, limit, 'full')).toString()));
}
