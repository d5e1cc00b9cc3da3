// `clm import ENTITY --data FILE --mapping MAPPING.json [--rejects FILE] [--dry-run] [--full] [--json]`:
// loads the operator's own CSV or Parquet files (customers, usage, complaints, plans) into the
// central book through the change log, so desks receive them with their next pull. Exit 0 when
// the file was processed (rejected rows included), 2 with one line on stderr when it could not be.
import path from 'node:path';
import { IMPORT_ENTITIES } from '../import/entity-fields';
import type { Rejection } from '../import/entity-importer';
import { ImportInputError } from '../import/import-error';
import { readMappingFile } from '../import/mapping';
import { openRejectsFile, type RejectsSink } from '../import/rejects-file';
import { runImport, type ImportSummary } from '../import/run-import';
import { openSqlClient } from '../db/open-sql-client';
import { runMigrations } from '../db/migrate';
import type { SqlClient } from '../db/sql-client';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags, requiredFlag } from './model-commands/command-flags';

export const IMPORT_USAGE = [
  `clm import ${IMPORT_ENTITIES.join('|')} --data FILE.csv|FILE.parquet --mapping MAPPING.json [--rejects FILE.csv] [--dry-run] [--full] [--as-of YYYY-MM-DD] [--json] [--data-dir DIR]`,
];

const SHOWN_REJECTIONS = 10;

/** Without --rejects the first few problems are printed, so a person sees what went wrong. */
function printedRejections(): RejectsSink & { hidden: () => number } {
  let seen = 0;
  return {
    write(rejections: readonly Rejection[]) {
      for (const r of rejections) {
        if (seen++ < SHOWN_REJECTIONS) console.log(`rejected row ${r.row}${r.problem.column ? `, column ${r.problem.column}` : ''}: ${r.problem.reason}`);
      }
    },
    close: () => undefined,
    hidden: () => Math.max(0, seen - SHOWN_REJECTIONS),
  };
}

/** A database error (a SQLSTATE code or a refused connection) is bad input too: exit 2. */
function isDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^[0-9A-Z]{5}$/.test(code) || /^E[A-Z]+$/.test(code));
}

/** A dry run uses a database only when one is named, and does not migrate it (it writes nothing). */
async function openDatabase(dataDir: string | undefined, dryRun: boolean): Promise<SqlClient | null> {
  const databaseUrl = process.env.DATABASE_URL;
  if (dryRun && !databaseUrl && dataDir === undefined) return null;
  try {
    const { db } = await openSqlClient(databaseUrl ? { databaseUrl } : { dataDir: dataDir ?? path.resolve('.data/server') });
    if (!dryRun) await runMigrations(db);
    return db;
  } catch (error) {
    throw new ImportInputError(`cannot open the database: ${(error as Error).message}`);
  }
}

function summaryLine(s: ImportSummary): string {
  return (
    `${s.entity}: read ${s.read}, accepted ${s.accepted}, rejected ${s.rejected}; ` +
    `inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, closed ${s.closed}` +
    (s.republished > 0 ? `; ${s.republished} customer documents re-published` : '')
  );
}

export async function runImportCommand(args: string[]): Promise<void> {
  const [entity, ...rest] = args;
  if (entity === undefined || !(IMPORT_ENTITIES as readonly string[]).includes(entity))
    throw new CliUsageError(`import: unknown entity "${entity ?? ''}" (expected ${IMPORT_ENTITIES.join(', ')})`);
  const flags = parseCommandFlags('import', rest, {
    data: { type: 'string' },
    mapping: { type: 'string' },
    rejects: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'as-of': { type: 'string' },
    'data-dir': { type: 'string' },
  });
  const dataPath = requiredFlag('import', flags.data, 'data');
  const mappingPath = requiredFlag('import', flags.mapping, 'mapping');
  const asOf = flags['as-of'] ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new CliUsageError(`import: --as-of "${asOf}" is not a date YYYY-MM-DD`);

  let db: SqlClient | null = null;
  let rejects: RejectsSink | null = null;
  try {
    const mapping = readMappingFile(mappingPath);
    if (mapping.entity !== entity) throw new ImportInputError(`mapping ${mappingPath} is for ${mapping.entity}, not ${entity}`);
    db = await openDatabase(flags['data-dir'], flags['dry-run']);
    const printed = printedRejections();
    rejects = flags.rejects === undefined ? printed : openRejectsFile(flags.rejects);
    const summary = await runImport({ dataPath, mapping, db, dryRun: flags['dry-run'], full: flags.full, asOf, rejects });
    if (printed.hidden() > 0) console.log(`… and ${printed.hidden()} more problems (write them all with --rejects FILE)`);
    console.log(`${flags['dry-run'] ? 'dry run, nothing written: ' : ''}${summaryLine(summary)}${db === null ? ' (no database: references not checked)' : ''}`);
    if (flags.json) {
      const { entity: e, read, accepted, rejected, inserted, updated, unchanged, closed } = summary;
      console.log(JSON.stringify({ entity: e, read, accepted, rejected, inserted, updated, unchanged, closed }));
    }
  } catch (error) {
    if (error instanceof ImportInputError) throw new CliUsageError(`import: ${error.message}`);
    if (isDatabaseError(error))
      throw new CliUsageError(`import: database error: ${(error as Error).message} (batches committed before it stay; run the same file again to finish)`);
    throw error;
  } finally {
    rejects?.close();
    await db?.close();
  }
}
