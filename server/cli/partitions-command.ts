// `clm partitions ensure`: the monthly partitions of the tables that grow with time, made ahead by
// hand (the API makes them when it starts and daily: server/db/partition-maintenance.ts).
import path from 'node:path';
import { MONTHS_AHEAD, ensureMonthPartitions } from '../db/partition-maintenance';
import { withCliDatabase } from './cli-database';
import { CliUsageError } from './model-commands/cli-error';
import { parseCommandFlags } from './model-commands/command-flags';

export const PARTITIONS_USAGE = [`clm partitions ensure [--months-ahead N] [--data-dir DIR]   (default ${MONTHS_AHEAD} months after this one)`];

export async function runPartitionsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const command = `partitions ${action ?? ''}`.trim();
  if (action !== 'ensure') throw new CliUsageError(`${command}: expected "partitions ensure"`);
  const flags = parseCommandFlags(command, rest, {
    'data-dir': { type: 'string', default: path.resolve('.data/server') },
    'months-ahead': { type: 'string', default: String(MONTHS_AHEAD) },
  });
  const monthsAhead = Number(flags['months-ahead']);
  if (!Number.isSafeInteger(monthsAhead) || monthsAhead < 0 || monthsAhead > 60)
    throw new CliUsageError(`${command}: --months-ahead must be a whole number from 0 to 60 (got "${flags['months-ahead']}")`);
  const created = await withCliDatabase(
    flags['data-dir'],
    (db) => ensureMonthPartitions(db, new Date(), monthsAhead),
    () => null,
  );
  console.log(created.length === 0 ? 'every partition was already there' : `created ${created.join(', ')}`);
}
