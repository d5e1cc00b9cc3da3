// Import throughput: `clm import customers` (both passes, every row validated, each batch staged
// and compared with the book in SQL, changed documents written through the change log in one
// statement, one transaction a batch) against PostgreSQL's own COPY of the same customers into the
// same table. The goal's baseline is that COPY (issue 15: "COPY of the same file into the same
// table"): the operator's file cannot be COPYed into customers as it comes (the table holds JSON
// documents), so the baseline COPYs the imported customers, exported as the table holds them, into
// an empty table like customers, its indexes kept: the fastest any loader can fill that table.
// For scale the run also reports COPY of the raw file into a staging table of its text columns
// (what COPY costs when it writes no documents and no indexes), a re-run of the same file (nothing
// changes), and PostgreSQL alone turning the staged rows into documents (no checks, no change log).
// Needs PostgreSQL (BENCH_DATABASE_URL or the local default); rows: CLM_BENCH_IMPORT_ROWS, else
// CLM_BENCH_ROWS (default 1,000,000). Run alone: CLM_BENCH_IMPORT_ROWS=200000 npx tsx bench/import-throughput.ts
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { openSqlClient } from '../server/db/open-sql-client';
import { runMigrations } from '../server/db/migrate';
import type { SqlClient } from '../server/db/sql-client';
import { compileMapping } from '../server/import/mapping';
import { DEFAULT_BATCH_SIZE, runImport, type ImportSummary } from '../server/import/run-import';
import { DEMO_SEED, generateDemoCustomer } from '../server/seed/demo-customers';
import { DEMO_PLANS } from '../server/seed/reference-data';
import { createScratchDatabase } from '../tests/support/scratch-postgres';
import { benchRows } from './support/book';
import { measurement, notAvailable, okResult, type BenchResult } from './support/result';
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
  const raw = env.CLM_BENCH_IMPORT_ROWS;
  if (raw === undefined || raw === '') return benchRows(env);
  const rows = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`CLM_BENCH_IMPORT_ROWS must be a whole number >= 1000, got '${raw}'`);
  return rows;
}

const CSV_CHUNK = 20_000;

/** The demo book as an operator's export: one row per customer, our columns named their way; written a chunk at a time. */
function writeBookCsv(path: string, rows: number): void {
  writeFileSync(path, `${Papa.unparse([COLUMNS])}\n`);
  for (let start = 0; start < rows; start += CSV_CHUNK) {
    const lines = Array.from({ length: Math.min(CSV_CHUNK, rows - start) }, (_, i) => {
      const c = generateDemoCustomer(start + i, DEMO_SEED);
      return [
        c.id,
        c.phone,
        c.name,
        c.idNumber,
        c.planCode,
        c.joinDate,
        c.contractEnd ?? '',
        c.status === 'active' ? '1' : '0',
        c.churnDate ?? '',
        c.marketingConsent ? 'Y' : 'N',
        c.doNotDisturb ? 'Y' : 'N',
      ];
    });
    appendFileSync(path, `${Papa.unparse(lines, { newline: '\n' })}\n`);
  }
}

async function loadPlans(db: SqlClient): Promise<void> {
  await db.query(
    `INSERT INTO plans (code, name_zh, name_en, monthly_fee) SELECT p->>'code', p->'name'->>'zh', p->'name'->>'en', (p->>'monthlyFee')::numeric FROM jsonb_array_elements($1::jsonb) AS p`,
    [JSON.stringify(DEMO_PLANS)],
  );
}

/** Seconds PostgreSQL takes to build the documents from the staged rows and insert them, indexes maintained. */
async function documentsFromStaging(db: SqlClient): Promise<number> {
  await db.query('CREATE TABLE customers_floor (LIKE customers INCLUDING ALL)');
  const started = performance.now();
  await db.query(
    `INSERT INTO customers_floor (id, phone, name, id_number, plan_code, status, version, change_seq, deleted, data)
     SELECT s.cust_no, s.msisdn, s.cust_name, s.cert_no, s.plan, d.status, 1, nextval('sync_change_seq'), false,
       jsonb_build_object('id', s.cust_no, 'name', s.cust_name, 'phone', s.msisdn, 'idNumber', s.cert_no, 'planCode', s.plan,
         'planName', jsonb_build_object('zh', p.name_zh, 'en', p.name_en), 'monthlyFee', p.monthly_fee, 'joinDate', s.open_date,
         'contractEnd', NULLIF(s.contract_end, ''), 'status', d.status, 'churnDate', NULLIF(s.closed_on, ''),
         'arpu', z.year, 'dataUsageGb', z.year, 'voiceMinutes', z.year, 'complaints30d', 0, 'complaints90d', 0, 'networkIssues90d', 0,
         'marketingConsent', s.consent = 'Y', 'doNotDisturb', s.dnd = 'Y', 'version', 1)
     FROM import_staging s JOIN plans p ON p.code = s.plan,
       LATERAL (SELECT CASE s.state WHEN '1' THEN 'active' ELSE 'churned' END AS status) d,
       (SELECT to_jsonb(array_fill(0, ARRAY[12])) AS year) z`,
  );
  return elapsedMs(started) / 1000;
}

function psql(url: string, command: string): void {
  const run = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', command], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql failed: ${run.error?.message ?? run.stderr.trim()}`);
}

/** Seconds COPY takes to load the imported customer rows (exported to `file` first) into an empty table like customers. */
function copyImportedRows(url: string, file: string): number {
  psql(url, `\\copy customers TO '${file}'`);
  psql(url, 'CREATE TABLE customers_copy (LIKE customers INCLUDING ALL)');
  const started = performance.now();
  psql(url, `\\copy customers_copy FROM '${file}'`);
  return elapsedMs(started) / 1000;
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

    const importFile = async (): Promise<{ summary: ImportSummary; seconds: number }> => {
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
      return { summary, seconds: elapsedMs(importStarted) / 1000 };
    };
    progress(ID, 'clm import customers');
    const first = await importFile();
    if (first.summary.inserted !== rows) throw new Error(`imported ${first.summary.inserted} of ${rows} rows (${first.summary.rejected} rejected)`);
    progress(ID, 'clm import customers again (nothing changes)');
    const again = await importFile();
    if (again.summary.unchanged !== rows) throw new Error(`the re-run changed ${rows - again.summary.unchanged} of ${rows} rows`);

    progress(ID, 'COPY of the same file (baseline)');
    await db.query(`CREATE UNLOGGED TABLE import_staging (${COLUMNS.map((c) => `${c} text`).join(', ')})`);
    const copyStarted = performance.now();
    psql(database.url, `\\copy import_staging FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    const copySeconds = elapsedMs(copyStarted) / 1000;

    progress(ID, 'PostgreSQL alone: the staged rows as documents in a table like customers');
    const floorSeconds = await documentsFromStaging(db);
    progress(ID, 'COPY of the imported rows into a table like customers');
    const tableCopySeconds = copyImportedRows(database.url, dir.file('customers.copy'));

    const copyRate = rows / copySeconds;
    const baseline = {
      label: 'PostgreSQL COPY of the same customers (documents and columns) into an empty table like customers, indexes kept',
      value: rows / tableCopySeconds,
      unit: 'rows/s',
    };
    return okResult(ID, TITLE, started, {
      measurements: [
        measurement({
          metric: `clm import customers, ${rows.toLocaleString('en-US')} rows`,
          value: rows / first.seconds,
          unit: 'rows/s',
          baseline,
          goal: { on: 'ratio', atLeast: 0.5 },
        }),
        measurement({ metric: 'the same file again (nothing changes)', value: rows / again.seconds, unit: 'rows/s', baseline }),
        measurement({
          metric: 'clm import customers, against a COPY of the raw file into a staging table',
          value: rows / first.seconds,
          unit: 'rows/s',
          baseline: {
            label: 'PostgreSQL COPY of the same file into an unlogged staging table of its text columns, no indexes',
            value: copyRate,
            unit: 'rows/s',
          },
        }),
      ],
      notes: [
        `import ${first.seconds.toFixed(1)} s, re-run ${again.seconds.toFixed(1)} s (two passes over the file, every row validated, ` +
          `batches of ${DEFAULT_BATCH_SIZE.toLocaleString('en-US')} staged and compared with the book in SQL, new customers inserted without a conflict check, one written while the next is prepared); COPY into a table like customers ${tableCopySeconds.toFixed(1)} s, into the staging table ${copySeconds.toFixed(2)} s`,
        `for scale: PostgreSQL alone, one INSERT … SELECT turning the staged rows into customer documents in a table with the customers table's indexes ` +
          `(no checks, no change log), ${(rows / floorSeconds).toFixed(0)} rows/s = ${(rows / floorSeconds / copyRate).toFixed(2)}× the staging COPY: ` +
          `the ceiling for any import that writes the documents desks download`,
      ],
    });
  } finally {
    await db.close();
    await database.drop();
    dir.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runImportBench);
