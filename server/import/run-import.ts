// One import of one file (CSV or Parquet), in two passes. Pass 1 reads the whole file without
// writing: a file that cannot be read to its end (broken CSV, wrong encoding, cut inside a
// character, a broken Parquet row group) stops here and changes nothing; it also finds keys and
// numbers that repeat within the file. Pass 2 converts each row again, rejects what is wrong, and
// applies the rest in batches, each batch one transaction, upserted by key: a re-run of the same
// file changes nothing, and a re-run after an interruption picks up where the committed batches end.
import { maskPhone } from '../../shared/domain/masking';
import type { SqlClient } from '../db/sql-client';
import { rowConverter, type RowProblem } from './convert-row';
import { ROW_IDENTITY, KEY_FIELD } from './entity-fields';
import type { EntityImporter, ImportContext, Rejection, RowValues, SourceRow } from './entity-importer';
import { complaintsImporter } from './import-complaints';
import { customersImporter } from './import-customers';
import { ImportInputError } from './import-error';
import { plansImporter } from './import-plans';
import { usageImporter } from './import-usage';
import { assertColumnsPresent, type Mapping } from './mapping';
import { openTable, tableRowBatches, type TableFile } from './read-table';
import type { RejectsSink } from './rejects-file';

/** Rows per transaction: large enough that a statement's fixed costs vanish, small enough to hold in memory. */
export const DEFAULT_BATCH_SIZE = 5000;

const IMPORTERS: Record<Mapping['entity'], EntityImporter> = {
  customers: customersImporter,
  usage: usageImporter,
  complaints: complaintsImporter,
  plans: plansImporter,
};

export interface ImportOptions {
  dataPath: string;
  mapping: Mapping;
  /** Null: a dry run without a database (the rows are checked, references are not). */
  db: SqlClient | null;
  dryRun: boolean;
  /** The file is a complete snapshot: active customers it does not list are closed. */
  full: boolean;
  /** YYYY-MM-DD: the day the file describes. */
  asOf: string;
  rejects: RejectsSink;
  batchSize?: number;
}

export interface ImportSummary {
  entity: Mapping['entity'];
  read: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  closed: number;
  /** Customer documents re-published by usage, complaints or plan changes. */
  republished: number;
}

interface FileFacts {
  /** Identities (entity key, with the month for usage) seen on more than one row. */
  repeatedIdentities: Set<string>;
  /** Values that must be unique (phone numbers) that more than one identity uses. */
  repeatedValues: Set<string>;
  /** With --full, every key value in the file, rejected rows included: the import closes none of them. */
  listedKeys: Set<string>;
  convertibleRows: number;
  latestMonth: string | null;
}

const identityOf = (mapping: Mapping, values: RowValues) => ROW_IDENTITY[mapping.entity].map((f) => String(values[f])).join('\u0000');

async function surveyFile(file: TableFile, mapping: Mapping, importer: EntityImporter, listKeys: boolean): Promise<FileFacts> {
  const convert = rowConverter(mapping, file.header, file.typedColumns);
  const keyColumn = file.header.indexOf(mapping.key);
  const seen = new Set<string>();
  const owners = new Map<string, string>();
  const facts: FileFacts = { repeatedIdentities: new Set(), repeatedValues: new Set(), listedKeys: new Set(), convertibleRows: 0, latestMonth: null };
  for await (const rows of tableRowBatches(file))
    for (const { cells } of rows) {
      const key = (cells[keyColumn] ?? '').trim();
      if (listKeys && key !== '') facts.listedKeys.add(key);
      const converted = convert(cells);
      if (!converted.ok) continue;
      facts.convertibleRows += 1;
      const identity = identityOf(mapping, converted.values);
      if (seen.has(identity)) facts.repeatedIdentities.add(identity);
      seen.add(identity);
      for (const { value } of importer.uniqueWithinFile(converted.values)) {
        const owner = owners.get(value);
        if (owner === undefined) owners.set(value, identity);
        else if (owner !== identity) facts.repeatedValues.add(value);
      }
      const month = converted.values.month;
      if (typeof month === 'string' && (facts.latestMonth === null || month > facts.latestMonth)) facts.latestMonth = month;
    }
  return facts;
}

function fileProblem(mapping: Mapping, importer: EntityImporter, values: RowValues, facts: FileFacts): RowProblem | null {
  const identity = identityOf(mapping, values);
  if (facts.repeatedIdentities.has(identity))
    return {
      column: mapping.key,
      value: String(values[KEY_FIELD[mapping.entity]]),
      reason: `${ROW_IDENTITY[mapping.entity].join(' + ')} appears on more than one row of this file (all of them rejected: which one is right?)`,
    };
  const repeated = importer.uniqueWithinFile(values).find(({ value }) => facts.repeatedValues.has(value));
  if (repeated !== undefined)
    return {
      column: repeated.field,
      value: repeated.value,
      reason: `${repeated.field} ${maskPhone(repeated.value)} is on rows of more than one ${mapping.key} in this file`,
    };
  return null;
}

async function latestStoredMonth(db: SqlClient | null): Promise<string | null> {
  if (db === null) return null;
  const [row] = await db.query<{ month: string | null }>('SELECT max(month) AS month FROM customer_usage');
  return row?.month ?? null;
}

export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const { mapping, db } = options;
  const importer = IMPORTERS[mapping.entity];
  if (options.full && importer.closeMissing === undefined) throw new ImportInputError(`--full applies to customers snapshots, not to ${mapping.entity}`);
  const file = await openTable(options.dataPath, { encoding: mapping.encoding, delimiter: mapping.delimiter });
  assertColumnsPresent(mapping, file.header);

  const facts = await surveyFile(file, mapping, importer, options.full);
  if (options.full && facts.convertibleRows === 0)
    throw new ImportInputError(`--full: no row of ${options.dataPath} can be imported; refusing to close every customer the file does not list`);
  const storedMonth = await latestStoredMonth(db);
  const context: ImportContext = {
    asOf: options.asOf,
    // Never past the import day's month: a mistyped future month must not shift every window.
    usageWindowEnd:
      [facts.latestMonth, storedMonth]
        .filter((m): m is string => m !== null)
        .map((m) => (m > options.asOf.slice(0, 7) ? options.asOf.slice(0, 7) : m))
        .sort()
        .at(-1) ?? null,
    dryRun: options.dryRun,
  };

  const summary: ImportSummary = {
    entity: mapping.entity,
    read: 0,
    accepted: 0,
    rejected: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    closed: 0,
    republished: 0,
  };
  const rejectedRows = new Set<number>();
  const convert = rowConverter(mapping, file.header, file.typedColumns);
  let batch: SourceRow[] = [];
  let pendingRejects: Rejection[] = [];

  /** Prepares `rows` now; writes them once `previous` (the batch before) is written, so batches commit in file order. */
  const apply = async (rows: SourceRow[], rejects: Rejection[], previous: Promise<void>) => {
    const prepared = rows.length > 0 && db !== null ? importer.prepareBatch(db, rows, context) : null;
    // Reported in file order: a failed earlier batch first.
    prepared?.catch(() => undefined);
    await previous;
    if (prepared !== null) {
      const result = await (await prepared)();
      summary.inserted += result.inserted;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      summary.republished += result.republished;
      rejects.push(...result.rejected);
    }
    for (const r of rejects) rejectedRows.add(r.row);
    options.rejects.write(rejects.sort((a, b) => a.row - b.row));
  };
  // One batch is written while the next is prepared (checked in Node) and the one after is read:
  // the database and Node each keep a core busy. Batches still commit one at a time and in file
  // order, so an interruption leaves a prefix of the file committed, as before.
  let written: Promise<void> = Promise.resolve();
  let writtenBefore: Promise<void> = Promise.resolve();
  const flush = async () => {
    // At most one batch being written and one prepared: memory stays a few batches whatever the file.
    await writtenBefore;
    writtenBefore = written;
    written = apply(batch, pendingRejects, written);
    // Reported by a later flush (or the last one), not as an unhandled rejection meanwhile.
    written.catch(() => undefined);
    batch = [];
    pendingRejects = [];
  };

  for await (const rows of tableRowBatches(file))
    for (const { row, cells, raw } of rows) {
      summary.read += 1;
      const converted = convert(cells);
      const problems = converted.ok ? [fileProblem(mapping, importer, converted.values, facts)].filter((p) => p !== null) : converted.problems;
      if (converted.ok && problems.length === 0) batch.push({ row, raw, values: converted.values });
      else pendingRejects.push(...problems.map((problem) => ({ row, raw, problem })));
      if (batch.length >= (options.batchSize ?? DEFAULT_BATCH_SIZE)) await flush();
    }
  await flush();
  await written;
  summary.rejected = rejectedRows.size;
  summary.accepted = summary.read - summary.rejected;
  if (options.full && db !== null) summary.closed = await importer.closeMissing!(db, facts.listedKeys, context);
  return summary;
}
