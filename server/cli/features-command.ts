// `clm features export --as-of YYYY-MM-DD --label-window-days N --out FILE.csv [--data-dir DIR]`:
// the churn model's feature table as `clm score` computes it from the book, as the book stood on
// the as-of day (server/scoring/book-as-of.ts), with the churn observed in the N days after it as
// the label: a file `clm model train` learns the scoring columns from directly. The file appears
// whole or not at all: it is written next to --out under a temporary name and renamed at the end.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { CHURN_POSITIVE, CHURN_TARGET_COLUMN, customerTrainingRows } from '../../shared/analytics/customer-features';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { openSqlClient } from '../db/open-sql-client';
import { runMigrations } from '../db/migrate';
import { bookAsOf, emptyTally, labelWindowEnd } from '../scoring/book-as-of';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags, requiredFlag } from './model-commands/command-flags';

const COMMAND = 'features export';

export const FEATURES_USAGE = [
  'clm features export --as-of YYYY-MM-DD --label-window-days N --out FILE.csv [--data-dir DIR]   (PostgreSQL when DATABASE_URL is set)',
];

function isoDate(flag: string, value: string): string {
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!valid) throw new CliUsageError(`${COMMAND}: --${flag} "${value}" is not a date YYYY-MM-DD`);
  return value;
}

function positiveDays(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new CliUsageError(`${COMMAND}: --${flag} must be a whole number of days, 1 or more, got "${value}"`);
  return Number(value);
}

/** Opened before the database, so an unwritable --out fails fast and leaves nothing behind. */
function openTemporaryFile(out: string): { fd: number; temporary: string } {
  const temporary = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.partial`);
  try {
    return { fd: openSync(temporary, 'wx'), temporary };
  } catch (error) {
    throw new CliUsageError(`${COMMAND}: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export async function runFeaturesCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action !== 'export') throw new CliUsageError(`features: unknown action "${action ?? ''}" (expected export)`);
  const flags = parseCommandFlags(COMMAND, rest, {
    'as-of': { type: 'string' },
    'label-window-days': { type: 'string' },
    out: { type: 'string' },
    'data-dir': { type: 'string', default: path.resolve('.data/server') },
  });
  const asOf = isoDate('as-of', requiredFlag(COMMAND, flags['as-of'], 'as-of'));
  const labelWindowDays = positiveDays('label-window-days', requiredFlag(COMMAND, flags['label-window-days'], 'label-window-days'));
  const out = requiredFlag(COMMAND, flags.out, 'out');
  const today = operatorDateDaysBefore(new Date());
  const windowEnd = labelWindowEnd({ asOf, labelWindowDays });
  if (windowEnd > today)
    throw new CliUsageError(
      `${COMMAND}: the label window ends ${windowEnd}, after today (${today}): churn in it is not observed yet; choose an earlier --as-of`,
    );

  const { fd, temporary } = openTemporaryFile(out);
  let closed = false;
  let renamed = false;
  try {
    const databaseUrl = process.env.DATABASE_URL;
    const { db } = await openSqlClient(databaseUrl ? { databaseUrl } : { dataDir: flags['data-dir'] });
    const tally = emptyTally();
    try {
      await runMigrations(db);
      let header = true;
      for await (const page of bookAsOf(db, { asOf, labelWindowDays, today }, tally)) {
        const rows = customerTrainingRows(page);
        writeSync(fd, `${Papa.unparse(rows.slice(header ? 0 : 1), { newline: '\n' })}\n`);
        header = false;
      }
    } finally {
      await db.close();
    }
    if (tally.exported === 0) throw new CliUsageError(`${COMMAND}: no customer of the book was there on ${asOf}: nothing to export`);
    closeSync(fd);
    closed = true;
    try {
      renameSync(temporary, out);
    } catch (error) {
      throw new CliUsageError(`${COMMAND}: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    renamed = true;
    console.log(
      `wrote ${tally.exported} customers as of ${asOf} to ${out}, ${tally.churnedInWindow} churned by ${windowEnd}; left out: ` +
        `${tally.joinedLater} joined later, ${tally.leftBefore} left before, ${tally.closedWithoutDate} closed without a churn date`,
    );
    console.log(
      `train on it: npm run clm -- model train --data ${out} --target ${CHURN_TARGET_COLUMN} --positive ${CHURN_POSITIVE} --id customer_id --out model.json`,
    );
  } finally {
    if (!closed) closeSync(fd);
    if (!renamed) rmSync(temporary, { force: true });
  }
}
