// The fault-injection simulation at a size for every `npm test` (the full 1,000+ runs are
// `npm run test:faults`, tests/reliability/fault-simulation.faults.ts).
import { expect, it } from 'vitest';
import { DEFAULT_FAULT_SEED, describeFailure, describeSummary, runSimulations, summaryLine } from './support/run-simulations';

const RUNS = 100;

it(`loses, duplicates and diverges nothing over ${RUNS} seeded runs of faults, crashes and restarts`, async () => {
  const summary = await runSimulations(RUNS, DEFAULT_FAULT_SEED);
  console.log(describeSummary(summary, DEFAULT_FAULT_SEED));
  console.log(summaryLine(summary));
  expect(summary.failures.map(describeFailure)).toEqual([]);
  expect(summaryLine(summary)).toBe(`runs=${RUNS} lost=0 duplicated=0 diverged=0`);
  // The faults really happened: a simulation that injected nothing would prove nothing.
  expect(summary.crashes).toBeGreaterThan(0);
  expect(summary.crashesAfterCommit).toBeGreaterThan(0);
  expect(summary.deadLettered).toBeGreaterThan(0);
  expect(summary.restarts).toBeGreaterThan(0);
  expect(Object.values(summary.faults).every((n) => n > 0)).toBe(true);
}, 3_600_000); // a guard against a hang only: about 80 s of CPU, and 600 s ran out at load 25 on two cores with 51 s of it done
