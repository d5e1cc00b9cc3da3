// Reads a versioned configuration document (lifecycle thresholds, value settings) from JSON;
// an unreadable file or a field that fails its schema is a usage error naming the file and field.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { CliUsageError } from './cli-error';

export function readConfigFile<S extends z.ZodType>(schema: S, path: string, what: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`${what} file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${what} file ${path} is not JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ');
    throw new CliUsageError(`${what} file ${path}: ${issues}`);
  }
  return parsed.data;
}
