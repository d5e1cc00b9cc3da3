// Runs once per `vitest run`, before any test file: gives the run a scratch folder for the PGlite
// database templates (tests/support/test-pglite.ts) and the bundle of the command line the CLI tests
// run (tests/support/clm-bundle.ts), and deletes both when the run ends.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleClm } from './clm-bundle';

const ROOT = path.resolve(import.meta.dirname, '../..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgliteTemplatesDir = await mkdtemp(path.join(tmpdir(), 'clm-vitest-'));
  project.provide('pgliteTemplatesDir', pgliteTemplatesDir);
  // Inside node_modules, so the bundle finds the packages it leaves out; one folder per run, as
  // several runs may share a checkout.
  await mkdir(path.join(ROOT, 'node_modules/.cache'), { recursive: true });
  const bundleDir = await mkdtemp(path.join(ROOT, 'node_modules/.cache/clm-vitest-'));
  project.provide('clmBundle', await bundleClm(bundleDir));
  return async () => {
    await rm(pgliteTemplatesDir, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  };
}
