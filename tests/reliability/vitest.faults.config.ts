// `npm run test:faults`: only the long fault-injection simulation (FAULT_RUNS runs, default 1,000).
// Its 100-run sibling (fault-simulation.test.ts) runs in the normal suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/reliability/**/*.faults.ts'],
    environment: 'node',
    testTimeout: 3 * 60 * 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './tests/reliability/support/summary-line-reporter.ts'],
  },
});
