// `npm run test:faults`: FAULT_RUNS (default 1,000) seeded runs of the fault-injection simulation
// (see support/simulation.ts for what one run does and checks). FAULT_SEED picks another
// sequence of runs; a failing run is reported with its number and last steps, and replays alone
// with the same seed.
import { expect, it } from 'vitest';
import { DEFAULT_FAULT_SEED, describeFailure, describeSummary, runSimulations, summaryLine } from './support/run-simulations';

const runs = Number(process.env.FAULT_RUNS ?? 1000);
const seed = Number(process.env.FAULT_SEED ?? DEFAULT_FAULT_SEED);

it(`loses, duplicates and diverges nothing over ${runs} seeded runs of faults, crashes and restarts`, async ({ task }) => {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FAULT_RUNS must be a positive whole number, got '${process.env.FAULT_RUNS}'`);
  const startedAt = Date.now();
  const summary = await runSimulations(runs, seed, (result) => {
    if ((result.run + 1) % 100 === 0) console.log(`… ${result.run + 1}/${runs} runs, ${Math.round((Date.now() - startedAt) / 1000)} s`);
  });
  for (const failure of summary.failures) console.log(describeFailure(failure));
  console.log(describeSummary(summary, seed));
  task.meta.faultSummaryLine = summaryLine(summary);
  expect(summaryLine(summary)).toBe(`runs=${runs} lost=0 duplicated=0 diverged=0`);
});
