// Reads a CSV file (header row first) into rows of strings with csv-parse.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliUsageError } from './cli-error';

export function readCsvFile(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(code === 'ENOENT' ? `data file not found: ${path}` : `cannot read data file ${path} (${code ?? (error as Error).message})`);
  }
  try {
    return parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new CliUsageError(`${path} is not a readable CSV file: ${(error as Error).message}`);
  }
}
