// One month's bills for every live customer of the book, written as the operator's CSV and loaded
// by `clm import usage`'s own code (server/import/run-import.ts), in the central API's process.
// The amounts follow each customer's document (its latest month) with a deterministic wobble per
// customer and month, so every month close changes every billed customer's usage row.
import { writeFileSync } from 'node:fs';
import type { SqlClient } from '../../server/db/sql-client';
import { compileMapping } from '../../server/import/mapping';
import { runImport, type ImportSummary } from '../../server/import/run-import';
import { elapsedMs } from './stats';

const USAGE_MAPPING = compileMapping({
  entity: 'usage',
  key: 'customer_id',
  fields: { month: { column: 'month', format: 'YYYYMM' }, arpu: 'arpu', dataGb: 'data_gb', voiceMinutes: 'voice_minutes', sms: 'sms' },
});

const BILLS_SQL = `SELECT string_agg(line, E'\\n' ORDER BY id) AS text FROM (
  SELECT id, concat_ws(',', id, $1::text,
    round(coalesce((data->'arpu'->>11)::numeric, 50) * w, 2),
    round(coalesce((data->'dataUsageGb'->>11)::numeric, 5) * w, 3),
    round(coalesce((data->'voiceMinutes'->>11)::numeric, 300) * w, 1),
    mod(abs(hashtext(id)), 50)) AS line
  FROM (SELECT id, data, 0.9 + mod(abs(hashtext(id || $1::text)), 21) / 100.0 AS w FROM customers WHERE NOT deleted) AS book) AS bills`;

/** Writes the month's bills (`month` as YYYYMM) to `csvPath` and imports them; the import alone is timed. */
export async function importMonthOfBills(
  db: SqlClient,
  arg: { month: string; asOf: string; csvPath: string },
): Promise<{ rows: number; seconds: number; summary: ImportSummary }> {
  const [bills] = await db.query<{ text: string | null }>(BILLS_SQL, [arg.month]);
  const lines = bills?.text ?? '';
  writeFileSync(arg.csvPath, `customer_id,month,arpu,data_gb,voice_minutes,sms\n${lines}\n`);
  const started = performance.now();
  const summary = await runImport({
    dataPath: arg.csvPath,
    mapping: USAGE_MAPPING,
    db,
    dryRun: false,
    full: false,
    asOf: arg.asOf,
    rejects: { write: () => undefined, close: () => undefined },
  });
  return { rows: summary.read, seconds: elapsedMs(started) / 1000, summary };
}
