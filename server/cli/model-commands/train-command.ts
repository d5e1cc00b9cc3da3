// clm model train --data FILE.csv --target COL --positive VALUE [--id COL] [--ignore COL,COL]
//                 [--algo gbdt|logit|auto] --out model.json
// auto: cross-validated choice among a small grid of both families and their average (slower).
import { writeFileSync } from 'node:fs';
import { ALGOS, type Algo } from '../../../shared/analytics/models/churn-model';
import { trainChurnModel } from '../../../shared/analytics/train-churn-model';
import { CliUsageError } from './cli-error';
import { parseCommandFlags, requiredFlag } from './command-flags';
import { readCsvFile } from './read-csv-file';

const COMMAND = 'model train';

export function runTrainCommand(args: string[]): void {
  const flags = parseCommandFlags(COMMAND, args, {
    data: { type: 'string' },
    target: { type: 'string' },
    positive: { type: 'string' },
    id: { type: 'string' },
    ignore: { type: 'string' },
    algo: { type: 'string', default: 'gbdt' },
    out: { type: 'string' },
  });
  const data = requiredFlag(COMMAND, flags.data, 'data');
  const target = requiredFlag(COMMAND, flags.target, 'target');
  const positive = requiredFlag(COMMAND, flags.positive, 'positive');
  const out = requiredFlag(COMMAND, flags.out, 'out');
  const choices: readonly (Algo | 'auto')[] = [...ALGOS, 'auto'];
  const algo = flags.algo as Algo | 'auto';
  if (!choices.includes(algo)) throw new CliUsageError(`${COMMAND}: --algo must be one of ${choices.join(', ')}, got "${flags.algo}"`);
  const ignoreColumns = (flags.ignore ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

  const started = performance.now();
  const model = trainChurnModel(readCsvFile(data), { algo, target, positive, idColumn: flags.id ?? null, ignoreColumns, createdAt: new Date().toISOString() });
  const seconds = (performance.now() - started) / 1000;
  try {
    writeFileSync(out, `${JSON.stringify(model)}\n`);
  } catch (error) {
    throw new CliUsageError(`${COMMAND}: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }

  const { metrics, folds } = model.validation;
  const features = model.preprocessing.columns.map((c) => `${c.name}:${c.type === 'numeric' ? 'num' : 'cat'}`);
  const level = (name: 'red' | 'orange' | 'yellow') => {
    const threshold = model.thresholds[name];
    return threshold ? `${name} ≥ ${threshold.probability.toFixed(3)} (precision ${threshold.precision.toFixed(2)})` : `${name}: target not reached`;
  };
  console.log(
    `trained ${model.modelId} (${model.validation.selection?.chosen ?? algo}) on ${model.training.rows} rows, ${model.training.positives} positive, in ${seconds.toFixed(2)} s`,
  );
  console.log(`features (${features.length}): ${features.join(', ')}`);
  console.log(
    `${folds}-fold cross-validated: AUC ${metrics.auc.toFixed(4)}, PR AUC ${metrics.pr_auc.toFixed(4)}, Brier ${metrics.brier.toFixed(4)}, top-decile lift ${metrics.top_decile_lift.toFixed(2)}`,
  );
  console.log(`warning levels: ${level('red')}; ${level('orange')}; ${level('yellow')}`);
  console.log(`wrote ${out}`);
}
