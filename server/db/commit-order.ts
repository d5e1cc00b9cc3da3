// Cursors that never skip a row, without serialising the writers.
//
// A reader pages a log by a sequence (change_seq, server_seq, an order id). With a bare sequence,
// txn A can take seq 10, txn B take 11 and commit first: a reader then sees 11, moves its cursor
// past 10 and never receives A's row. A global lock held until commit fixed this by making every
// writer wait for the one before. Here each writer instead announces itself before it takes a seq:
// it takes a shared advisory lock (no one ever asks for it exclusively), keyed by the sequence's value at that moment
// (a floor of every seq it will take), and holds it until it commits or rolls back. A reader serves
// only seqs up to the horizon, commit_order_horizon() (migration 0016): the last seq issued, capped
// below the lowest floor still announced. The function reads the sequence before the locks and the
// caller reads its page in a later statement (a newer snapshot), so:
// - a writer announced when the locks are read holds only seqs above its floor: beyond the horizon;
// - a writer gone by then has committed (locks are released after the commit is visible) or rolled
//   back, and the page's snapshot sees it;
// - a writer announcing later takes seqs above the last seq issued when the horizon was read.
// xmin of the reader's snapshot (pg_snapshot_xmin) cannot replace the floors: transaction ids are
// assigned in another order than seqs, so "every older transaction has ended" says nothing about
// which seqs are still to appear.
import type { SqlClient } from './sql-client';

export interface CommitOrderedLog {
  /** The sequence the log's cursor follows. */
  sequence: string;
  /** The announcements' key space: the high 16 bits of their bigint advisory key (clear of the small constant keys). */
  space: number;
}

export const CHANGE_LOG: CommitOrderedLog = { sequence: 'sync_change_seq', space: 0x4c01 };
export const OUTCOME_LOG: CommitOrderedLog = { sequence: 'outcomes_server_seq_seq', space: 0x4c02 };
export const FULFILMENT_ORDER_LOG: CommitOrderedLog = { sequence: 'fulfilment_orders_id_seq', space: 0x4c03 };

/** announceWriter's lock as an SQL expression, for a writer that announces within a statement doing other things before it takes seqs. */
// Shared: two writers announcing the same floor must not wait for each other; nobody ever asks for it exclusively.
export const announceWriterSql = (log: CommitOrderedLog) =>
  `pg_advisory_xact_lock_shared((${log.space}::bigint << 48) | coalesce(pg_sequence_last_value('${log.sequence}'), 0))`;

/** Before the transaction takes a seq of `log` (again before each further statement taking some is harmless). */
export async function announceWriter(tx: SqlClient, log: CommitOrderedLog): Promise<void> {
  await tx.query(`SELECT ${announceWriterSql(log)}`);
}

/** The horizon as an SQL expression, for a reader that reads it together with other things (same rules as below). */
export const commitOrderHorizonSql = (log: CommitOrderedLog) => `commit_order_horizon('${log.sequence}', ${log.space})`;

/**
 * The highest seq of `log` a reader may serve now. Call it outside the reader's transaction (or in
 * its own statement just before, under READ COMMITTED), then read the page with `seq <= horizon`.
 */
export async function commitOrderHorizon(db: SqlClient, log: CommitOrderedLog): Promise<number> {
  const [row] = await db.query<{ horizon: number }>(`SELECT ${commitOrderHorizonSql(log)} AS horizon`);
  return Number(row?.horizon ?? 0);
}
