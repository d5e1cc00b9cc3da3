// The only writers of the synced tables (customers, scores, offers, offer stats, contact history) and of cache scope membership.
//
// Every write announces itself to the change log (commit-order.ts) before it takes a change_seq, so
// the change feed serves seqs in commit order: a desk's cursor never moves past a seq whose
// transaction may still commit. Writers no longer wait for each other for that. What they still
// lock is what they read and then rewrite: one customer's, offer's or contact history's row
// (lockChangeLogKeys) on the hot paths, the whole log (lockChangeLog) for imports and other batch writers.
import { z } from 'zod';
import { ContactHistory, Customer, CustomerScore, CustomerUsage, Offer, OfferStats, type SyncEntity } from '../../shared/contract/entities';
import { CHANGE_LOG_LOCK, CHANGE_LOG_ROW_LOCKS, advisoryXactKeyLocksSql, advisoryXactLockSharedSql, advisoryXactLockSql } from '../db/advisory-locks';
import { CHANGE_LOG, announceWriter } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { SYNCED_TABLES, type SyncedTable } from './synced-tables';

export interface WrittenRow {
  id: string;
  version: number;
  change_seq: number;
}

/**
 * The whole change log, until commit: for writers that read many rows before rewriting them
 * (imports, catalogue publication). Idempotent within a transaction (re-entrant for its holder).
 */
export async function lockChangeLog(tx: SqlClient): Promise<void> {
  await tx.query(advisoryXactLockSql(CHANGE_LOG_LOCK));
}

/**
 * The rows `ids` of `entity`, until commit: for a read-modify-write of a few rows on a hot path
 * (outcome uploads, desk events). Customers are also rewritten by imports under the whole-log
 * lock, so locking one takes the whole log shared; offer stats and contact histories are written
 * only row by row, so those never wait for an import. Take one entity's rows per call, in the
 * same entity order in every transaction.
 */
export async function lockChangeLogKeys(tx: SqlClient, entity: SyncEntity, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  if (entity === 'customer' || entity === 'score') await tx.query(advisoryXactLockSharedSql(CHANGE_LOG_LOCK));
  await tx.query(advisoryXactKeyLocksSql(CHANGE_LOG_ROW_LOCKS), [ids.map((id) => `${entity}:${id}`)]);
}

/** `source`: a FROM clause yielding each document as the jsonb `d`; `knownNew` for rows the caller knows are not in the table. */
function upsertSql(
  t: SyncedTable,
  { source = 'jsonb_array_elements($1::jsonb) AS d', knownNew = false }: { source?: string; knownNew?: boolean } = {},
): string {
  const projected = Object.entries(t.projectedColumns);
  const columns = [t.keyColumn, ...projected.map(([c]) => c), 'version', 'change_seq', 'deleted', 'data'];
  const values = [`d->>'${t.keyField}'`, ...projected.map(([, expr]) => expr), '1', `nextval('sync_change_seq')`, 'false', `jsonb_set(d, '{version}', '1')`];
  const updates = [
    ...projected.map(([c]) => `${c} = EXCLUDED.${c}`),
    `version = ${t.table}.version + 1`,
    'change_seq = EXCLUDED.change_seq',
    'deleted = false',
    `data = jsonb_set(EXCLUDED.data, '{version}', to_jsonb(${t.table}.version + 1))`,
  ];
  // The server owns `version`: 1 on insert, +1 on every later write, whatever the document says.
  return `INSERT INTO ${t.table} (${columns.join(', ')})
    SELECT ${values.join(', ')} FROM ${source}
    ${knownNew ? '' : `ON CONFLICT (${t.keyColumn}) DO UPDATE SET ${updates.join(', ')}`}
    RETURNING ${t.keyColumn} AS id, version, change_seq`;
}

function tombstoneSql(t: SyncedTable): string {
  const cleared = Object.keys(t.projectedColumns).map((c) => `${c} = NULL`);
  return `UPDATE ${t.table} SET ${[
    ...cleared,
    'deleted = true',
    'version = version + 1',
    `change_seq = nextval('sync_change_seq')`,
    `data = jsonb_build_object('${t.keyField}', ${t.keyColumn})`,
  ].join(', ')}
    WHERE ${t.keyColumn} = $1 AND NOT deleted
    RETURNING ${t.keyColumn} AS id, version, change_seq`;
}

async function upsertDocuments<S extends z.ZodType>(tx: SqlClient, table: SyncedTable, schema: S, documents: readonly z.input<S>[]): Promise<WrittenRow[]> {
  if (documents.length === 0) return [];
  // Validate on the way in: the change feed serves these documents as-is.
  const parsed = documents.map((d) => schema.parse(d));
  await announceWriter(tx, CHANGE_LOG);
  return tx.query<WrittenRow>(upsertSql(table), [JSON.stringify(parsed)]);
}

/** Inserts or replaces customers (ids must be unique within one call). */
export const upsertCustomers = (tx: SqlClient, customers: readonly Customer[]) => upsertDocuments(tx, SYNCED_TABLES.customer, Customer, customers);

/**
 * Inserts or replaces customers built in SQL by a set-based writer (the import): `source` is a FROM
 * clause over the caller's rows yielding each document as the jsonb `d`, ids unique. The caller
 * has checked every part of the documents against the contract (this writer cannot parse them).
 * `knownNew`: ids the caller found nowhere in the table (not even as a tombstone) under the
 * whole-log lock, written by a plain insert, without the conflict check's extra index probe per row.
 */
export async function upsertCustomersFrom(tx: SqlClient, source: string, { knownNew = false }: { knownNew?: boolean } = {}): Promise<number> {
  await announceWriter(tx, CHANGE_LOG);
  return (await tx.query<WrittenRow>(upsertSql(SYNCED_TABLES.customer, { source, knownNew }))).length;
}

export const upsertScores = (tx: SqlClient, scores: readonly CustomerScore[]) => upsertDocuments(tx, SYNCED_TABLES.score, CustomerScore, scores);

export const upsertOffers = (tx: SqlClient, offers: readonly Offer[]) => upsertDocuments(tx, SYNCED_TABLES.offer, Offer, offers);

export const upsertOfferStats = (tx: SqlClient, stats: readonly OfferStats[]) => upsertDocuments(tx, SYNCED_TABLES.offer_stats, OfferStats, stats);

export const upsertContactHistories = (tx: SqlClient, histories: readonly ContactHistory[]) =>
  upsertDocuments(tx, SYNCED_TABLES.contact_history, ContactHistory, histories);

/** Customers' usage windows (one row per customer; ids unique within one call). */
export const upsertUsageWindows = (tx: SqlClient, usage: readonly CustomerUsage[]) => upsertDocuments(tx, SYNCED_TABLES.usage, CustomerUsage, usage);

/**
 * Replaces a row by a tombstone (kept so desks that were offline learn of the delete).
 * Deleting a customer also deletes its score. Returns the tombstones written.
 */
export async function deleteSyncedRow(tx: SqlClient, entity: SyncEntity, id: string): Promise<WrittenRow[]> {
  // Deletes are rare (erasures, retired offers): they keep every other writer out meanwhile.
  await lockChangeLog(tx);
  await announceWriter(tx, CHANGE_LOG);
  const written = await tx.query<WrittenRow>(tombstoneSql(SYNCED_TABLES[entity]), [id]);
  if (entity === 'customer') written.push(...(await tx.query<WrittenRow>(tombstoneSql(SYNCED_TABLES.score), [id])));
  return written;
}

/** The temporary table a scope refresh fills with the members a scope should have (see cache-scopes.ts). */
export const DESIRED_SCOPE_MEMBERS = 'desired_scope_members';

const countOf = async (tx: SqlClient, sql: string, params: unknown[]) =>
  Number((await tx.query<{ n: number }>(`WITH w AS (${sql}) SELECT count(*) AS n FROM w`, params))[0]?.n ?? 0);

/**
 * Moves `team`'s scope to the members in DESIRED_SCOPE_MEMBERS (filled by the caller in this
 * transaction): each customer entering or leaving takes a change seq, so the scope's desks receive
 * exactly that difference, in commit order, through the change feed.
 */
export async function writeScopeMembers(tx: SqlClient, team: string): Promise<{ entered: number; left: number }> {
  await lockChangeLog(tx);
  await announceWriter(tx, CHANGE_LOG);
  const entered = await countOf(
    tx,
    `INSERT INTO cache_scope_members (team, customer_id, member, hot, change_seq)
     SELECT $1, d.customer_id, true, d.hot, nextval('sync_change_seq') FROM ${DESIRED_SCOPE_MEMBERS} d
     LEFT JOIN cache_scope_members m ON m.team = $1 AND m.customer_id = d.customer_id
     WHERE m.customer_id IS NULL OR NOT m.member
     ON CONFLICT (team, customer_id) DO UPDATE SET member = true, hot = EXCLUDED.hot, change_seq = EXCLUDED.change_seq
     RETURNING 1`,
    [team],
  );
  const left = await countOf(
    tx,
    `UPDATE cache_scope_members m SET member = false, hot = false, change_seq = nextval('sync_change_seq')
     WHERE m.team = $1 AND m.member AND NOT EXISTS (SELECT 1 FROM ${DESIRED_SCOPE_MEMBERS} d WHERE d.customer_id = m.customer_id)
     RETURNING 1`,
    [team],
  );
  // Whether a member is there for the hot set is for the operator's eyes only: desks need no seq for it.
  await tx.query(
    `UPDATE cache_scope_members m SET hot = d.hot FROM ${DESIRED_SCOPE_MEMBERS} d
     WHERE m.team = $1 AND m.customer_id = d.customer_id AND m.member AND m.hot <> d.hot`,
    [team],
  );
  return { entered, left };
}
