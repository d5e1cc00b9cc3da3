// `clm score [--model model.json] [--data-dir DIR]`: re-scores the whole customer book in the
// central database (DATABASE_URL, else the embedded PGlite data dir) and publishes the scores
// that changed, so desks pull them with their next sync.
import path from 'node:path';
import { openSqlClient } from '../db/open-sql-client';
import { runMigrations } from '../db/migrate';
import { rescoreBook } from '../scoring/rescore-book';
import { parseCommandFlags } from './model-commands/command-flags';
import { readModelFile } from './model-commands/read-model-file';

export const SCORE_USAGE = ['clm score [--model model.json] [--data-dir DIR]   (PostgreSQL when DATABASE_URL is set)'];

export async function runScoreCommand(args: string[]): Promise<void> {
  const flags = parseCommandFlags('score', args, {
    model: { type: 'string' },
    'data-dir': { type: 'string', default: path.resolve('.data/server') },
  });
  const model = flags.model === undefined ? undefined : readModelFile(flags.model);
  const databaseUrl = process.env.DATABASE_URL;
  const { db, driver } = await openSqlClient(databaseUrl ? { databaseUrl } : { dataDir: flags['data-dir'] });
  try {
    await runMigrations(db);
    const report = await rescoreBook(db, { ...(model ? { model } : {}), onProgress: (message) => console.log(message) });
    const rate = Math.round(report.customers / Math.max(report.seconds, 1e-9));
    console.log(
      `scored ${report.customers} customers on ${driver} with ${report.modelId} in ${report.seconds.toFixed(1)} s (${rate}/s): ` +
        `${report.written} changed, ${report.unchanged} unchanged`,
    );
  } finally {
    await db.close();
  }
}
