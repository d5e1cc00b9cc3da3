// Scale: batch scoring (`clm score`) end to end, read + assess + write, with one worker thread and
// with one per core, each on its own copy of the seeded benchmark book: first a new model's run
// (every customer's score changes and is written), then the same run again on the now unchanged
// book (reads and assesses everything, writes nothing). The model is given, as with
// `clm score --model`, so training on the book's sample (single-threaded) is not in the figures.
import { availableParallelism, loadavg } from 'node:os';
import type { ModelArtifact } from '../shared/analytics/model-artifact';
import { runMigrations } from '../server/db/migrate';
import { openSqlClient } from '../server/db/open-sql-client';
import { trainBookChurnModel } from '../server/scoring/book-churn-model';
import { rescoreBook, type RescoreReport } from '../server/scoring/rescore-book';
import { demoCustomerLife } from '../server/seed/demo-customers';
import { benchRows } from './support/book';
import { seededApiBookCopy } from './support/central-api-process';
import { measurement, okResult, type BenchResult, type Measurement } from './support/result';
import type { SeededCopy } from './support/seeded-book-cache';
import { cpuSecondsOf, hasProcStat } from './support/process-cpu';
import { choosePostgresOrPglite } from './support/server-database';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'batch-scoring';
const TITLE = 'Scale: batch scoring (clm score) on worker threads';
const PROVINCIAL_BOOK = 20_000_000;

/** A run's report with the CPU its process spent: all threads, and the reading and writing thread alone. */
interface TimedRun extends RescoreReport {
  cpu: { process: number; mainThread: number } | null;
}

interface WorkerRuns {
  workers: number;
  changed: TimedRun;
  unchanged: TimedRun;
}

/** This process's CPU seconds, and its main thread's (Linux /proc; null elsewhere). */
function cpuNow(): { process: number; mainThread: number } | null {
  if (!hasProcStat) return null;
  return { process: cpuSecondsOf('/proc/self/stat'), mainThread: cpuSecondsOf(`/proc/self/task/${process.pid}/stat`) };
}

async function timedRun(run: () => Promise<RescoreReport>): Promise<TimedRun> {
  const before = cpuNow();
  const report = await run();
  const after = cpuNow();
  return { ...report, cpu: before && after ? { process: after.process - before.process, mainThread: after.mainThread - before.mainThread } : null };
}

const rate = (report: RescoreReport) => report.customers / report.seconds;

/** Where the CPU went, which says what more cores can buy whatever else the machine was doing. */
function cpuNote(runs: WorkerRuns, run: 'changed' | 'unchanged'): string {
  const { cpu, customers, seconds } = runs[run];
  if (cpu === null) return `${runs.workers} thread(s), ${run}: ${seconds.toFixed(1)} s (no /proc for CPU times)`;
  return (
    `${runs.workers} thread(s), ${run === 'changed' ? 'every score written' : 'nothing written'}: ${seconds.toFixed(1)} s wall, ` +
    `${cpu.process.toFixed(1)} CPU-s in this process of which ${cpu.mainThread.toFixed(1)} on the reading and writing thread ` +
    `(${Math.round((1e6 * cpu.process) / customers)} ms of CPU per 1,000 customers, PostgreSQL's own not counted)`
  );
}

/** A new model's run and the unchanged re-run on `copy`, with `workers` threads; the copy is dropped afterwards. */
async function scoreCopy(copy: SeededCopy, workers: number, model: ModelArtifact): Promise<WorkerRuns> {
  const { db } = await openSqlClient(copy.database.location);
  try {
    await runMigrations(db);
    const now = new Date();
    progress(ID, `${workers} worker thread(s): a new model's run`);
    const changed = await timedRun(() => rescoreBook(db, { model, now, workers, onProgress: (line) => progress(ID, line) }));
    progress(ID, `${workers} worker thread(s): the same run on the unchanged book`);
    const unchanged = await timedRun(() => rescoreBook(db, { model, now, workers, onProgress: (line) => progress(ID, line) }));
    return { workers, changed, unchanged };
  } finally {
    await db.close();
    await copy.database.drop();
  }
}

function runMeasurements(one: WorkerRuns, all: WorkerRuns, run: 'changed' | 'unchanged'): Measurement[] {
  const what = run === 'changed' ? 'every score changed and written' : 'unchanged book, nothing written';
  const oneRate = rate(one[run]);
  const allRate = rate(all[run]);
  return [
    measurement({
      metric: `customers scored per second, ${what}, ${all.workers} worker threads`,
      value: allRate,
      unit: 'customers/s',
      baseline: { label: `1 worker thread, same book and run`, value: oneRate, unit: 'customers/s' },
    }),
    measurement({
      metric: `${PROVINCIAL_BOOK.toLocaleString('en-US')}-customer book, ${what}, ${all.workers} worker threads, extrapolated linearly`,
      value: PROVINCIAL_BOOK / allRate / 60,
      unit: 'min',
      baseline: { label: '1 worker thread, extrapolated the same way', value: PROVINCIAL_BOOK / oneRate / 60, unit: 'min' },
    }),
  ];
}

export async function runBatchScoringBench(): Promise<BenchResult> {
  const started = performance.now();
  const rows = benchRows();
  const choice = await choosePostgresOrPglite();
  // A model the seeded scores did not come from: its id is in every score, so every score changes.
  const trained = trainBookChurnModel(
    Array.from({ length: 5000 }, (_, i) => demoCustomerLife(i)),
    new Date(),
  );
  const model = { ...trained, modelId: 'bench-challenger' };
  const cores = availableParallelism();
  // Both copies before either run, so both come from the same seeded book even if the sources change meanwhile.
  const first = await seededApiBookCopy(choice.driver, choice, rows);
  const second = await seededApiBookCopy(choice.driver, choice, rows).catch(async (error: unknown) => {
    await first.database.drop();
    throw error;
  });
  const one = await scoreCopy(first, 1, model).catch(async (error: unknown) => {
    await second.database.drop();
    throw error;
  });
  const all = await scoreCopy(second, cores, model);
  const wrote = (runs: WorkerRuns) => `${runs.changed.written.toLocaleString('en-US')} then ${runs.unchanged.written.toLocaleString('en-US')}`;
  return okResult(ID, TITLE, started, {
    measurements: [...runMeasurements(one, all, 'changed'), ...runMeasurements(one, all, 'unchanged')],
    notes: [
      `${rows.toLocaleString('en-US')} customers on ${choice.driver === 'postgres' ? 'PostgreSQL (a copy of the kept seeded book per thread count)' : `PGlite (${choice.whyNotPostgres})`}; rescoreBook as clm score runs it with --model, pages of 5,000 (one worker task and one write transaction each); scores written: ${wrote(one)} with 1 thread, ${wrote(all)} with ${all.workers}.`,
      `${cores} cores (os.availableParallelism); the reading and writing thread and the database share them with the worker threads. Load average when done: ${(loadavg()[0] ?? 0).toFixed(1)}: on a machine busy with other work, more threads cannot buy more CPU, and the CPU split below says what they would on idle cores.`,
      ...[one, all].flatMap((runs) => [cpuNote(runs, 'changed'), cpuNote(runs, 'unchanged')]),
      "The 20-million figure assumes time per customer stays flat (keyset pages cost the same at any depth); pass 1 keeps every active customer's four calibration inputs in memory (about 1.5 GB of heap at 20 million).",
    ],
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runBatchScoringBench());
