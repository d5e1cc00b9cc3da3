// What the import runner needs from each entity: how rows are identified within a file, and how
// a batch of validated rows is checked against the database and written (one transaction).
import type { SqlClient } from '../db/sql-client';
import type { RowProblem } from './convert-row';
import type { FieldValue, ImportEntity } from './entity-fields';

export type RowValues = Readonly<Record<string, FieldValue>>;

export interface SourceRow {
  row: number;
  raw: string;
  values: RowValues;
}

export interface Rejection {
  row: number;
  raw: string;
  problem: RowProblem;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
  /** Customer documents re-published because of this batch (usage, complaints, plans). */
  republished: number;
}

export interface ImportContext {
  /** The day the file describes (complaint windows, closing date of a --full import), YYYY-MM-DD. */
  asOf: string;
  /** The latest billing month known (book and file): the end of the customers' 12-month window. */
  usageWindowEnd: string | null;
  /** Decide and count, but write nothing. */
  dryRun: boolean;
}

export type WriteBatch = () => Promise<BatchResult>;

export interface EntityImporter {
  entity: ImportEntity;
  /** Phone numbers that must not repeat across rows of different identities within one file, with their field. */
  uniqueWithinFile(values: RowValues): readonly { field: string; value: string }[];
  /**
   * Prepares a batch (work that takes no lock and writes nothing: checking rows, reading reference
   * data) and returns the step that checks it against the book and writes it, in one transaction.
   * The runner prepares a batch while the one before it is written, and writes in file order.
   */
  prepareBatch(db: SqlClient, rows: readonly SourceRow[], context: ImportContext): Promise<WriteBatch>;
  /** --full: closes what the snapshot no longer lists; returns how many. */
  closeMissing?(db: SqlClient, listed: ReadonlySet<string>, context: ImportContext): Promise<number>;
}

/** For an importer with nothing worth preparing ahead: the whole batch is checked and written when its turn comes. */
export const writtenWhenItsTurnComes =
  (applyBatch: (db: SqlClient, rows: readonly SourceRow[], context: ImportContext) => Promise<BatchResult>): EntityImporter['prepareBatch'] =>
  async (db, rows, context) =>
  () =>
    applyBatch(db, rows, context);

export const emptyBatchResult = (): BatchResult => ({ inserted: 0, updated: 0, unchanged: 0, rejected: [], republished: 0 });

/** Runs the decision and the writes in one transaction, or only the decision for a dry run. */
export function inTransactionUnlessDry<T>(db: SqlClient, context: ImportContext, work: (client: SqlClient) => Promise<T>): Promise<T> {
  return context.dryRun ? work(db) : db.transaction(work);
}
