// node:util parseArgs with the CLI's rules: unknown flags, stray arguments and missing required
// flags are usage errors (exit code 2), each reported on one line.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandFlags<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliUsageError(`${command}: ${(error as Error).message}`);
  }
}

export function requiredFlag(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new CliUsageError(`${command}: missing required flag --${flag}`);
  return value;
}
