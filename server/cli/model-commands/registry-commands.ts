// `clm model register|list|promote|rollback|shadow`: the model registry in the central database
// (server/models/). Same database rules as `clm users`: DATABASE_URL, else the embedded data
// directory (stop the API first when it runs on PGlite).
import path from 'node:path';
import { featuresMissingFromBook } from '../../../shared/analytics/model-feature-check';
import { summariseTraining } from '../../../shared/analytics/monitoring/training-summary';
import type { ModelArtifact } from '../../../shared/analytics/model-artifact';
import { ScoringBundle } from '../../../shared/analytics/scoring-bundle';
import type { SqlClient } from '../../db/sql-client';
import { activeBookFeatureRows } from '../../models/book-distributions';
import { championAndChallenger, listModels, ModelRegistryError, promoteModel, registerModel, rollbackModel } from '../../models/model-registry';
import { DEFAULT_SHADOW_SHARE, recordPredictions } from '../../models/record-predictions';
import { readScoringBundleJson } from '../../scoring/scoring-bundle-store';
import { withCliDatabase } from '../cli-database';
import { CliUsageError } from './cli-error';
import { parseCommandFlags, requiredFlag } from './command-flags';
import { readCsvFile } from './read-csv-file';
import { readModelFile } from './read-model-file';

const DATABASE = '[--data-dir DIR]';
export const REGISTRY_USAGE = [
  `clm model register (--model model.json [--data TRAINING.csv] | --published) [--by NAME] ${DATABASE}   (a new version is a challenger)`,
  `clm model list [--json] ${DATABASE}`,
  `clm model promote --model-id ID [--by NAME] ${DATABASE}   (publishes it in the scoring bundle desks re-score with)`,
  `clm model rollback [--by NAME] ${DATABASE}   (re-publishes the champion the current one replaced)`,
  `clm model shadow [--challenger ID] [--share 0.1] ${DATABASE}   (keeps today's champion scores and the challenger's shadow scores; run after clm score)`,
];

const databaseFlag = { 'data-dir': { type: 'string', default: path.resolve('.data/server') } } as const;
const byFlag = { by: { type: 'string', default: process.env.USER ?? 'clm' } } as const;

const withDatabase = <T>(dataDir: string, work: (db: SqlClient) => Promise<T>) =>
  withCliDatabase(dataDir, work, (error) => (error instanceof ModelRegistryError ? `model: ${error.message}` : null));

async function publishedModel(db: SqlClient): Promise<ModelArtifact> {
  const stored = await readScoringBundleJson(db);
  if (stored === null) throw new CliUsageError('model register: no scoring bundle is published yet (run clm score first)');
  return ScoringBundle.parse(JSON.parse(stored.json)).model;
}

async function runRegister(args: string[]): Promise<void> {
  const command = 'model register';
  const flags = parseCommandFlags(command, args, {
    ...databaseFlag,
    ...byFlag,
    model: { type: 'string' },
    data: { type: 'string' },
    published: { type: 'boolean' },
  });
  if ((flags.model === undefined) === (flags.published !== true)) throw new CliUsageError(`${command}: give either --model FILE or --published`);
  if (flags.published === true && flags.data !== undefined)
    throw new CliUsageError(`${command}: --data goes with --model (the published model's baseline is the book)`);
  // Checked before the database is opened: a model of other columns could never be promoted.
  const fileModel = flags.model === undefined ? null : readModelFile(flags.model);
  const missing = fileModel === null ? [] : featuresMissingFromBook(fileModel);
  if (missing.length > 0)
    throw new CliUsageError(`${command}: the model ${fileModel!.modelId} needs columns the book's features do not have: ${missing.join(', ')}`);
  const trainingRows = flags.data === undefined ? null : readCsvFile(flags.data);
  const now = new Date();
  const registered = await withDatabase(flags['data-dir'], async (db) => {
    const artifact = fileModel ?? (await publishedModel(db));
    const summary =
      trainingRows === null
        ? summariseTraining(artifact, await activeBookFeatureRows(db, now), 'book_at_registration')
        : summariseTraining(artifact, trainingRows, 'training_data');
    return registerModel(db, { artifact, summary, by: flags.by, now });
  });
  console.log(
    `registered ${registered.modelId} (${registered.algo}) as ${registered.status}: ${registered.trainingRows} training rows, churn rate ${(registered.trainingChurnRate * 100).toFixed(1)} %, ` +
      `AUC ${registered.metrics.auc.toFixed(3)}, Brier ${registered.metrics.brier.toFixed(4)}, top-decile lift ${registered.metrics.topDecileLift.toFixed(2)}`,
  );
  if (trainingRows === null) console.log('feature distributions for drift: counted in the active book today (no --data given)');
}

async function runList(args: string[]): Promise<void> {
  const flags = parseCommandFlags('model list', args, { ...databaseFlag, json: { type: 'boolean' } });
  const versions = await withDatabase(flags['data-dir'], listModels);
  if (flags.json === true) {
    console.log(JSON.stringify({ versions }));
    return;
  }
  if (versions.length === 0) console.log('no registered models (clm model register)');
  for (const v of versions) {
    console.log(
      `${v.status.padEnd(10)} ${v.modelId}  ${v.algo}  AUC ${v.metrics.auc.toFixed(3)}  Brier ${v.metrics.brier.toFixed(4)}  lift ${v.metrics.topDecileLift.toFixed(2)}  ` +
        `${v.trainingRows} rows  registered ${v.registeredAt} by ${v.registeredBy}`,
    );
  }
}

async function runPromote(args: string[]): Promise<void> {
  const command = 'model promote';
  const flags = parseCommandFlags(command, args, { ...databaseFlag, ...byFlag, 'model-id': { type: 'string' } });
  const modelId = requiredFlag(command, flags['model-id'], 'model-id');
  const change = await withDatabase(flags['data-dir'], (db) => promoteModel(db, modelId, flags.by, new Date()));
  console.log(
    `${change.champion} is the champion${change.replaced === null ? '' : ` (replaced ${change.replaced}, now retired)`}; scoring bundle version ${change.bundleVersion}`,
  );
}

async function runRollback(args: string[]): Promise<void> {
  const flags = parseCommandFlags('model rollback', args, { ...databaseFlag, ...byFlag });
  const change = await withDatabase(flags['data-dir'], (db) => rollbackModel(db, flags.by, new Date()));
  console.log(`rolled back to ${change.champion} (${change.replaced} retired); scoring bundle version ${change.bundleVersion}`);
}

function shareOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SHADOW_SHARE;
  const share = Number(text);
  if (text.trim() === '' || !(share > 0 && share <= 1)) throw new CliUsageError(`model shadow: --share must be a number above 0 and at most 1, not "${text}"`);
  return share;
}

async function runShadow(args: string[]): Promise<void> {
  const flags = parseCommandFlags('model shadow', args, { ...databaseFlag, challenger: { type: 'string' }, share: { type: 'string' } });
  const share = shareOf(flags.share);
  const recorded = await withDatabase(flags['data-dir'], async (db) => {
    const challengerId = flags.challenger ?? (await championAndChallenger(db)).challenger?.modelId ?? null;
    return { challengerId, ...(await recordPredictions(db, { now: new Date(), challengerId, share })) };
  });
  console.log(`${recorded.scoredOn}: kept ${recorded.champion} champion scores`);
  console.log(
    recorded.challengerId === null
      ? 'no challenger registered: nothing scored in shadow'
      : `${recorded.challengerId} scored ${recorded.shadow} customers in shadow (${(share * 100).toFixed(0)} % of the active book; never shown on cards)`,
  );
}

export const REGISTRY_ACTIONS: Record<string, (args: string[]) => Promise<void>> = {
  register: runRegister,
  list: runList,
  promote: runPromote,
  rollback: runRollback,
  shadow: runShadow,
};
