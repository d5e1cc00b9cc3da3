// Reads a model artefact from disk; a missing or unreadable file is a usage error (exit code 2).
import { readFileSync } from 'node:fs';
import { loadModelArtifact, type ModelArtifact } from '../../../shared/analytics/model-artifact';
import { CliUsageError } from './cli-error';

export function readModelFile(path: string): ModelArtifact {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(code === 'ENOENT' ? `model file not found: ${path}` : `cannot read model file ${path} (${code ?? (error as Error).message})`);
  }
  return loadModelArtifact(text);
}
