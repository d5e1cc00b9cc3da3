// A fresh temp directory per test for cache files, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export function useTempDir(): { path(name?: string): string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    path(name = 'desk-cache.sqlite') {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'clm-desk-db-'));
      dirs.push(dir);
      return path.join(dir, name);
    },
  };
}
