// `clm score [--model model.json] [--lifecycle-config FILE] [--value-config FILE] [--workers N] [--data-dir DIR]`:
// re-scores the whole customer book in the central database (DATABASE_URL, else the embedded
// PGlite data dir) on N worker threads (one per core by default) and publishes the scores that
// changed, so desks pull them with their next sync, and the scoring bundle (model and
// configurations) desks re-score with during a call. Without --model it scores with the model
// registry's champion (server/models), training and registering the book's first model when there is none.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { openSqlClient } from '../db/open-sql-client';
import { runMigrations } from '../db/migrate';
import { rescoreBook } from '../scoring/rescore-book';
import { recordProgrammeAssignments } from '../catalog/programme-assignments';
import { LifecycleConfig } from '../../shared/analytics/lifecycle/lifecycle-config';
import { featuresMissingFromBook } from '../../shared/analytics/model-feature-check';
import { CUSTOMER_FEATURE_COLUMNS } from '../../shared/analytics/customer-features';
import { ValueConfig } from '../../shared/analytics/value/value-config';
import { CliUsageError } from './model-commands/cli-error';
import { championArtifact, registerModel } from '../models/model-registry';
import { activeBookFeatureRows } from '../models/book-distributions';
import { measureChampionDrift } from '../models/book-drift';
import { summariseTraining } from '../../shared/analytics/monitoring/training-summary';
import { parseCommandFlags } from './model-commands/command-flags';
import { readConfigFile } from './model-commands/read-config-file';
import { readModelFile } from './model-commands/read-model-file';

export const SCORE_USAGE = [
  'clm score [--model model.json] [--lifecycle-config FILE.json] [--value-config FILE.json] [--workers N] [--data-dir DIR]   (PostgreSQL when DATABASE_URL is set; N worker threads, default one per core, 0 = none)',
];

function workerCount(flag: string | undefined): number {
  if (flag === undefined) return availableParallelism();
  const workers = Number(flag);
  if (!/^\d+$/.test(flag) || !Number.isSafeInteger(workers))
    throw new CliUsageError(`score: --workers must be a whole number (0 scores on the command's own thread), got '${flag}'`);
  return workers;
}

export async function runScoreCommand(args: string[]): Promise<void> {
  const flags = parseCommandFlags('score', args, {
    model: { type: 'string' },
    'lifecycle-config': { type: 'string' },
    'value-config': { type: 'string' },
    workers: { type: 'string' },
    'data-dir': { type: 'string', default: path.resolve('.data/server') },
  });
  const workers = workerCount(flags.workers);
  const fileModel = flags.model === undefined ? undefined : readModelFile(flags.model);
  // Checked before the database is opened: a model of other columns would otherwise fail mid-pass.
  const missing = fileModel === undefined ? [] : featuresMissingFromBook(fileModel);
  if (missing.length > 0)
    throw new CliUsageError(
      `score: the model ${fileModel!.modelId} needs columns the book's features do not have: ${missing.join(', ')} ` +
        `(the book has ${CUSTOMER_FEATURE_COLUMNS.join(', ')}; train on those columns)`,
    );
  const lifecycle = flags['lifecycle-config'] === undefined ? undefined : readConfigFile(LifecycleConfig, flags['lifecycle-config'], 'lifecycle config');
  const value = flags['value-config'] === undefined ? undefined : readConfigFile(ValueConfig, flags['value-config'], 'value config');
  const databaseUrl = process.env.DATABASE_URL;
  const { db, driver } = await openSqlClient(databaseUrl ? { databaseUrl } : { dataDir: flags['data-dir'] });
  try {
    await runMigrations(db);
    // Without --model the registry's champion scores the book, so a promotion or rollback lasts;
    // a book with no registered model yet trains its first one and registers it as champion.
    const model = fileModel ?? (await championArtifact(db)) ?? undefined;
    const report = await rescoreBook(db, {
      ...(model ? { model } : {}),
      ...(lifecycle ? { lifecycle } : {}),
      ...(value ? { value } : {}),
      workers,
      onProgress: (message) => console.log(message),
    });
    const rate = Math.round(report.customers / Math.max(report.seconds, 1e-9));
    console.log(
      `scored ${report.customers} customers on ${driver} with ${report.modelId} and ${report.workers} worker threads in ${report.seconds.toFixed(1)} s (${rate}/s): ` +
        `${report.written} changed, ${report.unchanged} unchanged`,
    );
    if (model === undefined) {
      const now = new Date();
      const summary = summariseTraining(report.model, await activeBookFeatureRows(db, now), 'book_at_registration');
      await registerModel(db, { artifact: report.model, summary, by: 'clm score', now, status: 'champion' });
      console.log(`model registry: ${report.modelId} registered as champion (the book's first model)`);
    } else if (fileModel !== undefined) {
      console.log(`model registry unchanged: ${fileModel.modelId} scored this run; register and promote it (clm model register/promote) to keep it`);
    }
    // The champion's feature drift in the book just scored, stored for the models report (server/models/book-drift.ts).
    const drift = await measureChampionDrift(db, new Date());
    if (drift !== null) console.log(`feature drift of ${drift.modelId} measured on ${drift.customers} active customers`);
    // Customers the new scores warn join the retention programmes' groups now, before desks call them.
    console.log(`retention programmes: ${await recordProgrammeAssignments(db, new Date())} new assignments`);
  } finally {
    await db.close();
  }
}
