// `clm model <action>`: the churn-model actions.
import { CliUsageError } from './cli-error';
import { runEvaluateCommand } from './evaluate-command';
import { runTrainCommand } from './train-command';

const ACTIONS: Record<string, (args: string[]) => void> = {
  train: runTrainCommand,
  evaluate: runEvaluateCommand,
};

export const MODEL_USAGE = [
  'clm model train --data FILE.csv --target COL --positive VALUE [--id COL] [--ignore COL,COL] [--algo gbdt|logit] --out model.json',
  'clm model evaluate --model model.json --data FILE.csv --target COL --positive VALUE [--json]',
];

export function runModelCommand(args: string[]): void {
  const [action, ...rest] = args;
  const run = action === undefined ? undefined : ACTIONS[action];
  if (!run) throw new CliUsageError(`model: unknown action "${action ?? ''}" (expected ${Object.keys(ACTIONS).join(' or ')})`);
  run(rest);
}
