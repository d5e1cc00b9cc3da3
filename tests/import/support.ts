// Shared set-up for the import tests: a migrated in-memory database, scratch files, an import
// run that keeps its rejections in memory, and `clm` run as the operator runs it (or in-process).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlClient } from '../../server/db/open-sql-client';
import { runMigrations } from '../../server/db/migrate';
import type { SqlClient } from '../../server/db/sql-client';
import type { Rejection } from '../../server/import/entity-importer';
import { compileMapping, readMappingFile } from '../../server/import/mapping';
import { runImport, type ImportOptions, type ImportSummary } from '../../server/import/run-import';
import { envWithoutDatabaseUrl, runClm, runClmInProcess } from '../support/clm-process';
import { TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';
import { openMigratedPglite } from '../support/test-pglite';

export const AS_OF = '2026-11-01';

/** The drivers an import test runs on: PGlite always, PostgreSQL when the test run has one. */
export const DRIVERS = TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

/** A migrated empty database (PGlite: a copy of the run's migrated template); closing it drops a PostgreSQL scratch database. */
export async function migratedDatabase(driver: (typeof DRIVERS)[number] = 'pglite'): Promise<SqlClient> {
  if (driver === 'pglite') {
    const { db, dispose } = await openMigratedPglite();
    return { ...db, close: dispose };
  }
  const scratch = await createScratchDatabase(TEST_DATABASE_URL!);
  const { db } = await openSqlClient({ databaseUrl: scratch.url });
  await runMigrations(db);
  return {
    ...db,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

export function scratchDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name: string, content?: string | Buffer) => {
      const path = join(dir, name);
      if (content !== undefined) writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ImportRun {
  summary: ImportSummary;
  rejections: Rejection[];
}

type RunOptions = Partial<Omit<ImportOptions, 'mapping' | 'rejects' | 'dataPath' | 'db'>>;

/** Imports `dataPath` with a mapping given as an object or a file path. */
export async function importFile(db: SqlClient | null, dataPath: string, mapping: object | string, options: RunOptions = {}): Promise<ImportRun> {
  const rejections: Rejection[] = [];
  const summary = await runImport({
    dataPath,
    mapping: typeof mapping === 'string' ? readMappingFile(mapping) : compileMapping(mapping),
    db,
    dryRun: false,
    full: false,
    asOf: AS_OF,
    rejects: { write: (r) => rejections.push(...r), close: () => undefined },
    ...options,
  });
  return { summary, rejections };
}

export const PLANS_MAPPING = { entity: 'plans', key: 'code', fields: { nameZh: 'zh', nameEn: 'en', monthlyFee: 'fee' } };
export const PLANS_CSV = 'code,zh,en,fee\nS39,畅享39元套餐,Smart 39,39\nG99,5G畅享99元套餐,5G Unlimited 99,99\n';

export const CUSTOMERS_MAPPING = {
  entity: 'customers',
  key: 'cust_no',
  fields: {
    phone: 'msisdn',
    name: 'cust_name',
    idNumber: 'cert_no',
    planCode: 'plan',
    joinDate: { column: 'open_date', format: 'YYYYMMDD' },
    status: { column: 'state', map: { 在网: 'active', 销户: 'churned' } },
    marketingConsent: 'consent',
    region: 'region',
    extraPhones: 'other_numbers',
  },
};
export const CUSTOMERS_HEADER = 'cust_no,msisdn,cust_name,cert_no,plan,open_date,state,consent,region,other_numbers';

export async function customerDocument(db: SqlClient, id: string) {
  const [row] = await db.query<{ data: Record<string, unknown>; version: number; deleted: boolean }>(
    'SELECT data, version, deleted FROM customers WHERE id = $1',
    [id],
  );
  return row;
}

/** `clm ARGS` as a child process (no DATABASE_URL: only --data-dir or a dry run without a database). */
export function clm(...args: string[]) {
  const run = runClm(args, { env: envWithoutDatabaseUrl() });
  return { ...run, stderr: run.stderr.trim() };
}

/** The same in this process (tests/support/clm-process.ts). */
export async function clmInProcess(...args: string[]) {
  const run = await runClmInProcess(args, { env: envWithoutDatabaseUrl() });
  return { ...run, stderr: run.stderr.trim() };
}

/** The summary a --json run prints last. */
export const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
