// Throwaway folders for cache files and PGlite data: one per benchmark run, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ScratchDir {
  path: string;
  file(name: string): string;
  remove(): void;
}

export function createScratchDir(label: string): ScratchDir {
  const dir = mkdtempSync(path.join(process.env.CLM_BENCH_TMPDIR ?? tmpdir(), `clm-bench-${label}-`));
  return {
    path: dir,
    file: (name) => path.join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
