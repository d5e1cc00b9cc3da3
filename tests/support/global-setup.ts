// Runs once per `vitest run`, before any test file: gives the run a scratch folder for the PGlite
// database templates (tests/support/test-pglite.ts) and deletes it when the run ends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgliteTemplatesDir = await mkdtemp(path.join(tmpdir(), 'clm-vitest-'));
  project.provide('pgliteTemplatesDir', pgliteTemplatesDir);
  return () => rm(pgliteTemplatesDir, { recursive: true, force: true });
}
