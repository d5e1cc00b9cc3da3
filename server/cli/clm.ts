// `npm run clm -- <group> <action> …`: the operator's command line. Each group lives in its own
// folder (model-commands/ for now; batch scoring and others come as new groups).
import { CliUsageError, EXIT_BAD_INPUT, EXIT_FAILURE, isBadInput, oneLine } from './model-commands/cli-error';
import { MODEL_USAGE, runModelCommand } from './model-commands/model-command';

const GROUPS: Record<string, (args: string[]) => void> = {
  model: runModelCommand,
};

const USAGE = ['usage:', ...MODEL_USAGE.map((line) => `  ${line}`)].join('\n');

function main(argv: string[]): void {
  const [group, ...rest] = argv;
  if (group === undefined || group === '--help' || group === 'help') {
    console.log(USAGE);
    return;
  }
  const run = GROUPS[group];
  if (!run) throw new CliUsageError(`unknown command "${group}" (expected ${Object.keys(GROUPS).join(', ')}; see clm --help)`);
  run(rest);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  const badInput = isBadInput(error);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`clm: ${badInput ? '' : 'unexpected error: '}${oneLine(message)}\n`);
  process.exitCode = badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
}
