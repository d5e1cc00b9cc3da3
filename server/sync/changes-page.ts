// One page of the change feed: rows of all synced tables with change_seq > after, in seq order, up
// to the change log's commit-order horizon (server/db/commit-order.ts: no seq a transaction still
// in flight may fill is passed over); for a desk with a cache scope, only its scope's customers (and every offer).
import type { SyncEntity } from '../../shared/contract/entities';
import { WHOLE_BOOK_SCOPE } from '../../shared/contract/cache-scope';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import { CHANGE_LOG, commitOrderHorizon } from '../db/commit-order';
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
// O(limit) per table however long the log is; the outer ORDER BY merges the short lists. $3: the horizon.
export const CHANGES_PAGE_SQL = `SELECT entity, id, version, change_seq, deleted, data_text FROM (${Object.values(SYNCED_TABLES)
  .map(
    (t) => `(SELECT '${t.entity}' AS entity, ${t.keyColumn} AS id, version, change_seq, deleted, data::text AS data_text
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
export const SCOPED_CHANGES_PAGE_SQL = `SELECT entity, id, version, change_seq, deleted, data_text FROM (${[
  ...Object.values(SYNCED_TABLES).map((t) => {
    const scoped = CUSTOMER_ENTITIES.includes(t.entity);
    return `(SELECT '${t.entity}' AS entity, ${t.keyColumn} AS id, version, change_seq, deleted, data::text AS data_text
      FROM ${t.table} WHERE change_seq > $1 AND change_seq <= $4${scoped ? ` AND (deleted OR ${member(`${t.table}.${t.keyColumn}`)})` : ''} ORDER BY change_seq LIMIT $2)`;
  }),
  ...CUSTOMER_ENTITIES.map((entity) => {
    const t = SYNCED_TABLES[entity];
    return `(SELECT '${t.entity}' AS entity, r.${t.keyColumn} AS id, r.version, m.change_seq, r.deleted OR NOT m.member AS deleted, r.data::text AS data_text
      FROM cache_scope_members m JOIN ${t.table} r ON r.${t.keyColumn} = m.customer_id
      WHERE m.team = $3 AND m.change_seq > $1 AND m.change_seq <= $4 ORDER BY m.change_seq LIMIT $2)`;
  }),
].join(' UNION ALL ')}) AS page ORDER BY change_seq, entity LIMIT $2`;

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

/** Whose changes a page holds: every customer's (the whole book), or the members of one team's cache scope. */
export type FeedScope = { key: string; team: string | null };

/** The scope of a desk that caches the whole book, as server-side readers see it. */
export const WHOLE_BOOK: FeedScope = { key: WHOLE_BOOK_SCOPE, team: null };

/** A customer entering a scope brings up to this many rows at one seq. */
const ROWS_PER_SEQ_MAX = CUSTOMER_ENTITIES.length;

/** The page as the JSON body of GET /sync/changes (a ScopedSyncChangesResponse). */
export async function readChangesPageJson(
  db: SqlClient,
  after: number,
  limit: number,
  idNumbers: IdNumberView,
  scope: FeedScope = WHOLE_BOOK,
): Promise<string> {
  // Rows beyond the limit tell whether another page follows, and let the page end on a whole seq:
  // the cursor moves to the page's last seq, so a seq's rows must never be split across pages.
  // Read before the page, in its own statement, so the page's snapshot is the newer one.
  const horizon = await commitOrderHorizon(db, CHANGE_LOG);
  // A desk at the horizon (an idle desk's poll) has nothing to read: the same empty page, without the page query.
  if (after >= horizon) return otherScopeJson(after, scope);
  const rows =
    scope.team === null
      ? await db.query<ChangeRow>(CHANGES_PAGE_SQL, [after, limit + 1, horizon])
      : await db.query<ChangeRow>(SCOPED_CHANGES_PAGE_SQL, [after, limit + ROWS_PER_SEQ_MAX, scope.team, horizon]);
  let end = Math.min(limit, rows.length);
  while (end < rows.length && end > 0 && Number(rows[end]!.change_seq) === Number(rows[end - 1]!.change_seq)) end += 1;
  const page = rows.slice(0, end);
  const last = page.at(-1);
  const nextCursor = last === undefined ? after : Number(last.change_seq);
  const changes = page.map((row) => changeJson(row, idNumbers)).join(',');
  return `{"changes":[${changes}],"nextCursor":${nextCursor},"hasMore":${rows.length > end},"scope":${JSON.stringify(scope.key)}}`;
}

/** The answer to a desk whose cache holds another scope: nothing, and the scope to download afresh. */
export const otherScopeJson = (after: number, scope: FeedScope) => `{"changes":[],"nextCursor":${after},"hasMore":false,"scope":${JSON.stringify(scope.key)}}`;

/** The page as stored (ID numbers in full): for server-side readers, not for serving. */
export async function readChangesPage(db: SqlClient, after: number, limit: number): Promise<SyncChangesResponse> {
  return SyncChangesResponse.parse(JSON.parse(await readChangesPageJson(db, after, limit, 'full')));
}
