// `clm privacy purge`: removes what is past its retention window (retention-policy.ts). Ages run
// from received_at, the server's clock, so a desk with a wrong clock cannot age a row early.
// Tables partitioned by month of received_at (migration 0016) lose whole expired months by
// dropping their partition: no row-by-row delete, no dead rows to vacuum. Rows are deleted one by
// one only where a month straddles the cutoff (the boundary partition) and among strays in the
// default partition. Each batch is one short transaction, so a daily run on a large book never
// holds long locks; a run repeated (or interrupted and started again) finds only what is still due.
import type { SqlClient } from '../db/sql-client';
import { monthPartitionEnd, TIME_PARTITIONED_TABLES } from '../db/partition-maintenance';
import type { RetentionPolicy } from './retention-policy';

interface PurgeRule {
  /** What the counts are reported as. */
  target: string;
  window: keyof RetentionPolicy;
  /** Rows due at cutoff $1. */
  dueSql: string;
  /** Purges up to $2 rows due at cutoff $1, returning one row per row purged. */
  batchSql: string;
  /** The table whose month partitions wholly before the cutoff are dropped first (its months cut by received_at). */
  partitionedTable?: string;
}

const DAY_MS = 86_400_000;

const deleteRule = (target: string, window: keyof RetentionPolicy, table: string, key: string): PurgeRule => ({
  target,
  window,
  dueSql: `SELECT count(*)::int AS due FROM ${table} WHERE received_at < $1`,
  batchSql: `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE received_at < $1 ORDER BY ${key} LIMIT $2) RETURNING 1`,
  partitionedTable: table,
});

// The outcome stays (reports count it); only the text the agent typed goes.
const NOTE_DUE = `received_at < $1 AND coalesce(payload->'draft'->>'note', '') <> ''`;

const PURGE_RULES: readonly PurgeRule[] = [
  deleteRule('cti_calls', 'ctiCalls', 'cti_calls', 'id'),
  deleteRule('card_view_audit', 'cardViewAudit', 'card_view_audit', 'server_seq'),
  {
    target: 'outcomes.note',
    window: 'outcomeNotes',
    dueSql: `SELECT count(*)::int AS due FROM outcomes WHERE ${NOTE_DUE}`,
    batchSql: `UPDATE outcomes SET payload = jsonb_set(payload, '{draft,note}', '""')
      WHERE outcome_id IN (SELECT outcome_id FROM outcomes WHERE ${NOTE_DUE} ORDER BY outcome_id LIMIT $2) RETURNING 1`,
  },
  deleteRule('customer_events', 'customerEvents', 'customer_events', 'event_id'),
];

export interface PurgeOptions {
  policy: RetentionPolicy;
  /** The moment windows are measured back from (the CLI passes the current time). */
  now: Date;
  dryRun: boolean;
  batchSize: number;
}

export interface PurgeCount {
  target: string;
  retentionDays: number;
  /** Rows received before this instant were due. */
  cutoff: string;
  /** Rows removed or blanked (with --dry-run: that would be), dropped partitions' rows included. */
  purged: number;
  /** Row-by-row batches (boundary and default partitions). */
  batches: number;
  /** Month partitions dropped whole (with --dry-run: that would be). */
  droppedPartitions: string[];
}

/** The month partitions of `table` that end at or before `cutoff`. */
async function expiredPartitions(db: SqlClient, table: string, cutoff: string): Promise<string[]> {
  if (!(table in TIME_PARTITIONED_TABLES)) return [];
  const children = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [table],
  );
  return children
    .filter(({ name }) => {
      const end = monthPartitionEnd(name);
      return end !== null && end <= Date.parse(cutoff);
    })
    .map(({ name }) => name);
}

export async function purgeExpired(db: SqlClient, options: PurgeOptions): Promise<PurgeCount[]> {
  const counts: PurgeCount[] = [];
  for (const rule of PURGE_RULES) {
    const retentionDays = options.policy[rule.window];
    const cutoff = new Date(options.now.getTime() - retentionDays * DAY_MS).toISOString();
    let purged = 0;
    let batches = 0;
    const table = rule.partitionedTable;
    const expired = table === undefined ? [] : await expiredPartitions(db, table, cutoff);
    if (!options.dryRun)
      for (const partition of expired)
        purged += await db.transaction(async (tx) => {
          // The lock the drop takes, taken first, so the count is of the rows dropped.
          await tx.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
          const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${partition}`);
          await tx.query(`DROP TABLE ${partition}`);
          return count?.n ?? 0;
        });
    if (options.dryRun) {
      const [row] = await db.query<{ due: number }>(rule.dueSql, [cutoff]);
      purged = row?.due ?? 0;
    } else {
      for (;;) {
        const done = await db.transaction((tx) => tx.query(rule.batchSql, [cutoff, options.batchSize]));
        if (done.length === 0) break;
        purged += done.length;
        batches += 1;
        if (done.length < options.batchSize) break;
      }
    }
    counts.push({ target: rule.target, retentionDays, cutoff, purged, batches, droppedPartitions: expired });
  }
  return counts;
}
