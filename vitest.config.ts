import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    // A guard against a hang only: the first file to need a database template builds it (initdb, migrations, the demo
    // seed) inside its beforeAll, which took over two minutes on a two-core runner shared with other jobs.
    hookTimeout: 600_000,
    pool: 'forks',
    // One worker per core: vitest's default leaves a core to itself, which on a two-core CI
    // machine ran every file one after another while the main process sat idle.
    maxWorkers: availableParallelism(),
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
