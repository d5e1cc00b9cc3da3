// `clm model <action>`: the churn-model actions.
import { CliUsageError } from './cli-error';
import { runEvaluateCommand } from './evaluate-command';
import { REGISTRY_ACTIONS, REGISTRY_USAGE } from './registry-commands';
import { runTrainCommand } from './train-command';

const ACTIONS: Record<string, (args: string[]) => void | Promise<void>> = {
  train: runTrainCommand,
  evaluate: runEvaluateCommand,
  ...REGISTRY_ACTIONS,
};

export const MODEL_USAGE = [
  'clm model train --data FILE.csv --target COL --positive VALUE [--id COL] [--ignore COL,COL] [--algo gbdt|logit] --out model.json',
  'clm model evaluate --model model.json --data FILE.csv --target COL --positive VALUE [--json]',
  ...REGISTRY_USAGE,
];

export function runModelCommand(args: string[]): void | Promise<void> {
  const [action, ...rest] = args;
  const run = action === undefined ? undefined : ACTIONS[action];
  if (!run) throw new CliUsageError(`model: unknown action "${action ?? ''}" (expected ${Object.keys(ACTIONS).join(', ')})`);
  return run(rest);
}
