// Import throughput: `clm import customers` (both passes, every row validated, documents
// written through the change log in one-transaction batches) against PostgreSQL's own COPY of
// the same CSV file. The customers table holds JSON documents, so COPY cannot fill it
// directly: the baseline COPYs the file (psql \copy, as an operator would) into a staging table
// with the file's columns, the least any loader has to do. Needs PostgreSQL (BENCH_DATABASE_URL or the local default);
// rows: CLM_BENCH_IMPORT_ROWS (default 50,000). Run alone: npx tsx bench/import-throughput.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { openSqlClient } from '../server/db/open-sql-client';
import { runMigrations } from '../server/db/migrate';
import type { SqlClient } from '../server/db/sql-client';
import { compileMapping } from '../server/import/mapping';
import { runImport } from '../server/import/run-import';
import { DEMO_SEED, generateDemoCustomer } from '../server/seed/demo-customers';
import { DEMO_PLANS } from '../server/seed/reference-data';
import { createScratchDatabase } from '../tests/support/scratch-postgres';
import { measurement, notAvailable, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { choosePostgresOrPglite } from './support/server-database';
import { elapsedMs } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'import';
const TITLE = 'Import of the operator customer file (clm import customers)';
const COLUMNS = ['cust_no', 'msisdn', 'cust_name', 'cert_no', 'plan', 'open_date', 'contract_end', 'state', 'closed_on', 'consent', 'dnd'];
const MAPPING = {
  entity: 'customers',
  key: 'cust_no',
  fields: {
    phone: 'msisdn',
    name: 'cust_name',
    idNumber: 'cert_no',
    planCode: 'plan',
    joinDate: 'open_date',
    contractEnd: 'contract_end',
    status: { column: 'state', map: { '1': 'active', '0': 'churned' } },
    churnDate: 'closed_on',
    marketingConsent: 'consent',
    doNotDisturb: 'dnd',
  },
};

function importRows(env: NodeJS.ProcessEnv = process.env): number {
  const rows = Number((env.CLM_BENCH_IMPORT_ROWS ?? '50000').replaceAll('_', ''));
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`CLM_BENCH_IMPORT_ROWS must be a whole number >= 1000, got '${env.CLM_BENCH_IMPORT_ROWS}'`);
  return rows;
}

/** The demo book as an operator's export: one row per customer, our columns named their way. */
function writeBookCsv(path: string, rows: number): void {
  const lines = Array.from({ length: rows }, (_, i) => {
    const c = generateDemoCustomer(i, DEMO_SEED);
    return [c.id, c.phone, c.name, c.idNumber, c.planCode, c.joinDate, c.contractEnd ?? '', c.status === 'active' ? '1' : '0', c.churnDate ?? '', c.marketingConsent ? 'Y' : 'N', c.doNotDisturb ? 'Y' : 'N'];
  });
  writeFileSync(path, `${Papa.unparse([COLUMNS, ...lines], { newline: '\n' })}\n`);
}

async function loadPlans(db: SqlClient): Promise<void> {
  await db.query(
    `INSERT INTO plans (code, name_zh, name_en, monthly_fee) SELECT p->>'code', p->'name'->>'zh', p->'name'->>'en', (p->>'monthlyFee')::numeric FROM jsonb_array_elements($1::jsonb) AS p`,
    [JSON.stringify(DEMO_PLANS)],
  );
}

export async function runImportBench(): Promise<BenchResult> {
  const started = performance.now();
  const choice = await choosePostgresOrPglite();
  if (choice.driver !== 'postgres') return notAvailable(ID, TITLE, `the baseline is PostgreSQL's COPY: ${choice.whyNotPostgres}`);
  const rows = importRows();
  const dir = createScratchDir('import');
  const file = dir.file('customers.csv');
  const database = await createScratchDatabase(choice.adminUrl);
  const { db } = await openSqlClient({ databaseUrl: database.url });
  try {
    progress(ID, `writing ${rows.toLocaleString('en-US')} customers as CSV`);
    writeBookCsv(file, rows);
    await runMigrations(db);
    await loadPlans(db);

    progress(ID, 'clm import customers');
    const importStarted = performance.now();
    const summary = await runImport({
      dataPath: file,
      mapping: compileMapping(MAPPING),
      db,
      dryRun: false,
      full: false,
      asOf: '2026-11-01',
      rejects: { write: () => undefined, close: () => undefined },
    });
    const importSeconds = elapsedMs(importStarted) / 1000;
    if (summary.inserted !== rows) throw new Error(`imported ${summary.inserted} of ${rows} rows (${summary.rejected} rejected)`);

    progress(ID, 'COPY of the same file (baseline)');
    await db.query(`CREATE UNLOGGED TABLE import_staging (${COLUMNS.map((c) => `${c} text`).join(', ')})`);
    const copyStarted = performance.now();
    const copy = spawnSync('psql', [database.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy import_staging FROM '${file}' WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' });
    const copySeconds = elapsedMs(copyStarted) / 1000;
    if (copy.status !== 0) throw new Error(`psql \\copy failed: ${copy.error?.message ?? copy.stderr.trim()}`);

    return {
      id: ID,
      title: TITLE,
      status: 'ok',
      measurements: [
        measurement({
          metric: `clm import customers, ${rows.toLocaleString('en-US')} rows`,
          value: rows / importSeconds,
          unit: 'rows/s',
          baseline: { label: 'PostgreSQL COPY of the same file into a staging table of its columns', value: rows / copySeconds, unit: 'rows/s' },
          goal: { on: 'ratio', atLeast: 0.5 },
        }),
      ],
      notes: [
        `import ${importSeconds.toFixed(1)} s (two passes over the file, every row validated, documents upserted through the change log in batches of 1,000); COPY ${copySeconds.toFixed(2)} s`,
      ],
      seconds: elapsedMs(started) / 1000,
    };
  } finally {
    await db.close();
    await database.drop();
    dir.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runImportBench);
