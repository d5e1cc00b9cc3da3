// One page of the change feed: rows of all synced tables with change_seq > after, in seq order, up
// to the change log's commit-order horizon (server/db/commit-order.ts: no seq a transaction still
// in flight may fill is passed over); for a desk with a cache scope, only its scope's customers (and every offer).
import type { SyncEntity } from '../../shared/contract/entities';
import { WHOLE_BOOK_SCOPE } from '../../shared/contract/cache-scope';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import { CHANGE_LOG, commitOrderHorizon } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { SYNCED_TABLES } from './synced-tables';

// Each branch walks its own change_seq index and stops after `limit` rows, so a page costs
// O(limit) per table however long the log is; the outer ORDER BY merges the short lists. $3: the horizon.
// Documents stay jsonb here: only the rows a page keeps are turned into text (pageJsonSql).
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
 * maskIdNumber (shared/domain/masking.ts) in SQL, for pages PostgreSQL writes out whole: the
 * region prefix (first 4) and check block (last 4) kept, the rest starred. tests/server/sync-page-json.test.ts
 * holds the two to the same answers.
 */
export const maskedIdNumberSql = (n: string) =>
  `CASE WHEN length(${n}) <= 8 THEN repeat('*', length(${n})) ELSE left(${n}, 4) || repeat('*', length(${n}) - 8) || right(${n}, 4) END`;

/**
 * A customer document's text (`d.doc`) with its ID number (`d.id_number`) masked, replaced as text
 * like maskIdNumberInJson does (jsonb_set would rebuild the whole document). The field is found as
 * PostgreSQL prints it; inside a string value quotes are escaped, so it cannot match there. NULL
 * when it is not found: such a page is refused, not served unmasked.
 */
const maskedDocumentSql = () => {
  const field = (value: string) => `'"idNumber": ' || to_json(${value})::text`;
  return `CASE WHEN strpos(d.doc, ${field('d.id_number')}) > 0 THEN replace(d.doc, ${field('d.id_number')}, ${field(maskedIdNumberSql('d.id_number'))}) END`;
};

/**
 * One change of `d` as JSON text. Documents were validated by the change-log writers (which also
 * keep their `version` equal to the row's), so they are written out as stored, never parsed and
 * re-serialized in Node: the sync page is the hot path of an initial sync. `masked`: the SQL
 * boolean that says whether customers' ID numbers are masked.
 */
const changeJsonSql = (masked: string) => `'{"seq":' || d.change_seq || ',"id":' || to_json(d.id)::text || ',"version":' || d.version ||
  CASE WHEN d.deleted THEN ',"op":"delete","entity":"' || d.entity || '"}'
  ELSE ',"op":"upsert","entity":"' || d.entity || '","data":' || CASE WHEN ${masked} AND d.entity = 'customer' THEN ${maskedDocumentSql()} ELSE d.doc END || '}' END`;

/**
 * The page as one row: `changes`, the JSON text of its changes (comma-separated), from `rowsSql`
 * (rows in feed order, `order`, a few more than `limit`). Rows beyond the limit tell whether another page
 * follows, and let the page end on a whole seq: the cursor moves to the page's last seq
 * (`last_seq`), so a seq's rows are never split across pages. `unmaskable`: customers whose ID
 * number could not be masked (the caller refuses the page). `limit` and `masked` are $-parameters.
 * OFFSET 0 keeps the document's text a column, made once per row (inlined, it would be made at each use).
 */
const pageJsonSql = (rowsSql: string, order: string, limit: string, masked: string) => `
  WITH fetched AS (
      SELECT d.change_seq, ${changeJsonSql(masked)} AS change, row_number() OVER (ORDER BY ${order}) AS n
      FROM (SELECT r.entity, r.id, r.version, r.change_seq, r.deleted, r.data::text AS doc,
              CASE WHEN r.entity = 'customer' THEN r.data->>'idNumber' END AS id_number
            FROM (${rowsSql}) AS r OFFSET 0) AS d),
    boundary AS (SELECT max(change_seq) FILTER (WHERE n <= ${limit}) AS last_seq, count(*) AS fetched FROM fetched)
  SELECT coalesce(string_agg(change, ',' ORDER BY n), '') AS changes, (SELECT last_seq FROM boundary), (SELECT fetched FROM boundary),
    count(*) AS served, count(*) FILTER (WHERE change IS NULL) AS unmaskable
  FROM fetched WHERE change_seq <= (SELECT last_seq FROM boundary)`;

export const CHANGES_PAGE_JSON_SQL = pageJsonSql(CHANGES_PAGE_SQL, 'd.change_seq', '$4', '$5::boolean');
const SCOPED_CHANGES_PAGE_JSON_SQL = pageJsonSql(SCOPED_CHANGES_PAGE_SQL, 'd.change_seq, d.entity', '$5', '$6::boolean');

interface PageJsonRow {
  changes: string;
  last_seq: number | null;
  fetched: number;
  served: number;
  unmaskable: number;
}

/** Whose changes a page holds: every customer's (the whole book), or the members of one team's cache scope. */
export type FeedScope = { key: string; team: string | null };

/** The scope of a desk that caches the whole book, as server-side readers see it. */
export const WHOLE_BOOK: FeedScope = { key: WHOLE_BOOK_SCOPE, team: null };

/** A customer entering a scope brings up to this many rows at one seq. */
const ROWS_PER_SEQ_MAX = CUSTOMER_ENTITIES.length;

/**
 * The page as the JSON body of GET /sync/changes (a ScopedSyncChangesResponse), up to `horizon`
 * when the caller read it already (in an earlier statement: see commit-order.ts), else read here.
 */
export async function readChangesPageJson(
  db: SqlClient,
  after: number,
  limit: number,
  idNumbers: IdNumberView,
  scope: FeedScope = WHOLE_BOOK,
  horizon?: number,
): Promise<string> {
  // Read before the page, in its own statement, so the page's snapshot is the newer one.
  const readTo = horizon ?? (await commitOrderHorizon(db, CHANGE_LOG));
  // A desk at the horizon (an idle desk's poll) has nothing to read: the same empty page, without the page query.
  if (after >= readTo) return emptyPageJson(after, scope);
  const masked = idNumbers === 'masked';
  const [page] =
    scope.team === null
      ? await db.query<PageJsonRow>(CHANGES_PAGE_JSON_SQL, [after, limit + 1, readTo, limit, masked])
      : await db.query<PageJsonRow>(SCOPED_CHANGES_PAGE_JSON_SQL, [after, limit + ROWS_PER_SEQ_MAX, scope.team, readTo, limit, masked]);
  if (page === undefined) throw new Error('the change page query returned no row');
  if (page.unmaskable > 0) throw new Error('customer document without an idNumber field: refusing to serve it unmasked');
  const nextCursor = page.served === 0 ? after : Number(page.last_seq);
  return `{"changes":[${page.changes}],"nextCursor":${nextCursor},"hasMore":${page.fetched > page.served},"scope":${JSON.stringify(scope.key)}}`;
}

/** A page with no changes: for a desk at the horizon, or one whose cache holds another scope (to download afresh). */
export const emptyPageJson = (after: number, scope: FeedScope) => `{"changes":[],"nextCursor":${after},"hasMore":false,"scope":${JSON.stringify(scope.key)}}`;

/** The page as stored (ID numbers in full): for server-side readers, not for serving. */
export async function readChangesPage(db: SqlClient, after: number, limit: number): Promise<SyncChangesResponse> {
  return SyncChangesResponse.parse(JSON.parse(await readChangesPageJson(db, after, limit, 'full')));
}
