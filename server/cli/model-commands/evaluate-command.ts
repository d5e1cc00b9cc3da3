// clm model evaluate --model model.json --data FILE.csv --target COL --positive VALUE [--json]
// With --json the last stdout line is one JSON object: auc, pr_auc, log_loss, brier,
// top_decile_lift, rows (and positives).
import { evaluateModel } from '../../../shared/analytics/score-rows';
import { parseCommandFlags, requiredFlag } from './command-flags';
import { readCsvFile } from './read-csv-file';
import { readModelFile } from './read-model-file';

const COMMAND = 'model evaluate';

export function runEvaluateCommand(args: string[]): void {
  const flags = parseCommandFlags(COMMAND, args, {
    model: { type: 'string' },
    data: { type: 'string' },
    target: { type: 'string' },
    positive: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const model = readModelFile(requiredFlag(COMMAND, flags.model, 'model'));
  const data = requiredFlag(COMMAND, flags.data, 'data');
  const target = requiredFlag(COMMAND, flags.target, 'target');
  const positive = requiredFlag(COMMAND, flags.positive, 'positive');
  const metrics = evaluateModel(model, readCsvFile(data), target, positive);
  if (flags.json) {
    console.log(JSON.stringify(metrics));
    return;
  }
  console.log(`model ${model.modelId} (${model.model.algo}) on ${data}: ${metrics.rows} rows, ${metrics.positives} positive`);
  console.log(
    `AUC ${metrics.auc.toFixed(4)}  PR AUC ${metrics.pr_auc.toFixed(4)}  log loss ${metrics.log_loss.toFixed(4)}  Brier ${metrics.brier.toFixed(4)}  top-decile lift ${metrics.top_decile_lift.toFixed(2)}`,
  );
}
