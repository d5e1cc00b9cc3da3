// Bad input on the command line ends the process with exit code 2 and one line on stderr;
// anything unexpected gets exit code 1, still without a stack trace.
import { DatasetError } from '../../../shared/analytics/dataset/dataset-error';
import { ModelArtifactError } from '../../../shared/analytics/model-artifact';
import { EmptyBookError } from '../../scoring/rescore-book';

export const EXIT_BAD_INPUT = 2;
export const EXIT_FAILURE = 1;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export function isBadInput(error: unknown): error is Error {
  return error instanceof CliUsageError || error instanceof DatasetError || error instanceof ModelArtifactError || error instanceof EmptyBookError;
}

/** One line, whatever the error carries (csv-parse messages can span lines). */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
