import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One worker per core: vitest's default leaves a core to itself, which on a two-core CI
    // machine ran every file one after another while the main process sat idle.
    maxWorkers: availableParallelism(),
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
