import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files that share their worker's modules with the files run before them there, instead of
 * importing everything again each: pure code with no module state a file changes. About a quarter
 * of a second of CPU a file.
 */
const SHARED_MODULES = ['tests/shared/**/*.test.ts', 'tests/offers/**/*.test.ts', 'tests/analytics/**/*.test.ts'];
/**
 * Renderer files that share their worker's modules and jsdom window likewise: each renders a fresh
 * store and i18n instance (tests/renderer/render-desk.tsx) and unmounts it after each test. Setting
 * jsdom up and importing React again for each file took about 100 s of CPU for the renderer's
 * files, against about 30 s shared. The two files that vi.mock the chart stay isolated: a mock is
 * not undone between files that share a worker.
 */
const SHARED_RENDERER = ['tests/renderer/!(model-monitoring|supervisor).test.{ts,tsx}'];

const ALL_TESTS = ['tests/**/*.test.ts', 'tests/**/*.test.tsx'];
const NEVER = ['tests/e2e/**', 'node_modules/**'];

/** What every project runs with (a project does not inherit the root's test options unless it extends them, and then it would run the global setup again). */
const common = {
  environment: 'node',
  testTimeout: 60_000,
  // A guard against a hang only: the first file to need a database template builds it (initdb, migrations, the demo
  // seed) inside its beforeAll, which took over two minutes on a two-core runner shared with other jobs.
  hookTimeout: 600_000,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    // One worker per core: vitest's default leaves a core to itself, which on a two-core CI
    // machine ran every file one after another while the main process sat idle.
    maxWorkers: availableParallelism(),
    // Once per run for every project: the projects read what it provides (tests/support/global-setup.ts).
    globalSetup: ['tests/support/global-setup.ts'],
    // Vitest queues the projects by name: the isolated files, the longest, first, then the quick shared ones.
    projects: [
      { test: { ...common, name: 'isolated', include: ALL_TESTS, exclude: [...NEVER, ...SHARED_MODULES, ...SHARED_RENDERER] } },
      // jsdom for all of them, the few pure ones too, so a worker keeps its window from file to file (a file in another environment needs a new worker).
      { test: { ...common, name: 'renderer', include: SHARED_RENDERER, environment: 'jsdom', isolate: false } },
      { test: { ...common, name: 'shared-modules', include: SHARED_MODULES, isolate: false } },
    ],
  },
});
