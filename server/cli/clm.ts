// `npm run clm -- <group> <action> …`: the operator's command line: churn models (model-commands/),
// batch scoring of the book (score-command.ts), the training table from the book's history
// (features-command.ts), the offer catalogue check (catalog-command.ts),
// staff accounts (users-command.ts), the import of the operator's own files (import-command.ts)
// personal data: retention purge, subject-access export, erasure (privacy-command.ts) and the
// cache scopes of the teams' desks (scope-command.ts) and the revocation of lost desks (desks-command.ts).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CATALOG_USAGE, runCatalogCommand } from './catalog-command';
import { DESKS_USAGE, runDesksCommand } from './desks-command';
import { FEATURES_USAGE, runFeaturesCommand } from './features-command';
import { IMPORT_USAGE, runImportCommand } from './import-command';
import { CliUsageError, EXIT_BAD_INPUT, EXIT_FAILURE, isBadInput, oneLine } from './model-commands/cli-error';
import { MODEL_USAGE, runModelCommand } from './model-commands/model-command';
import { PARTITIONS_USAGE, runPartitionsCommand } from './partitions-command';
import { PRIVACY_USAGE, runPrivacyCommand } from './privacy-command';
import { runScoreCommand, SCORE_USAGE } from './score-command';
import { runScopeCommand, SCOPE_USAGE } from './scope-command';
import { runUsersCommand, USERS_USAGE } from './users-command';

const GROUPS: Record<string, (args: string[]) => void | Promise<void>> = {
  model: runModelCommand,
  score: runScoreCommand,
  features: runFeaturesCommand,
  catalog: runCatalogCommand,
  users: runUsersCommand,
  import: runImportCommand,
  privacy: runPrivacyCommand,
  partitions: runPartitionsCommand,
  scope: runScopeCommand,
  desks: runDesksCommand,
};

const USAGE = [
  'usage:',
  ...[
    ...MODEL_USAGE,
    ...SCORE_USAGE,
    ...FEATURES_USAGE,
    ...CATALOG_USAGE,
    ...USERS_USAGE,
    ...IMPORT_USAGE,
    ...PRIVACY_USAGE,
    ...PARTITIONS_USAGE,
    ...SCOPE_USAGE,
    ...DESKS_USAGE,
  ].map((line) => `  ${line}`),
].join('\n');

async function main(argv: string[]): Promise<void> {
  const [group, ...rest] = argv;
  if (group === undefined || group === '--help' || group === 'help') {
    console.log(USAGE);
    return;
  }
  const run = GROUPS[group];
  if (!run) throw new CliUsageError(`unknown command "${group}" (expected ${Object.keys(GROUPS).join(', ')}; see clm --help)`);
  await run(rest);
}

/** Runs one command line; returns its exit code. Exported so the tests can run commands in-process. */
export async function runClm(argv: string[]): Promise<number> {
  try {
    await main(argv);
    return 0;
  } catch (error) {
    const badInput = isBadInput(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`clm: ${badInput ? '' : 'unexpected error: '}${oneLine(message)}\n`);
    return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }
}

// Run as the program (`npm run clm`), not when imported.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await runClm(process.argv.slice(2));
