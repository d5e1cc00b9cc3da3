// Where batch scoring's pages are assessed: on the calling thread, or spread over a pool of worker
// threads (one page at a time each) so `clm score` uses every core while its own thread reads
// and writes. Both run the same page work (score-page-work.ts).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CustomerScore } from '../../shared/contract/entities';
import type { BookCalibration, ValueInputs } from '../../shared/analytics/value/book-calibration';
import { runScoringTask, type CustomerRow, type ScoringJob, type ScoringTask } from './score-page-work';
import type { WorkerAnswer } from './score-worker';

export interface PageScorer {
  /** Worker threads assessing pages; 0 when they are assessed on the calling thread. */
  readonly workers: number;
  activeValueInputs(customers: string[]): Promise<ValueInputs[]>;
  changedScores(rows: CustomerRow[], calibration: BookCalibration): Promise<CustomerScore[]>;
  close(): Promise<void>;
}

function pageScorer(workers: number, run: (task: ScoringTask) => Promise<unknown>, close: () => Promise<void>): PageScorer {
  return {
    workers,
    activeValueInputs: (customers) => run({ kind: 'estimate', customers }) as Promise<ValueInputs[]>,
    changedScores: (rows, calibration) => run({ kind: 'assess', rows, calibration }) as Promise<CustomerScore[]>,
    close,
  };
}

// A checkout runs the TypeScript sources: the thread loads them through tsx's CommonJS hook, from
// source evaluated as CommonJS with the entries resolved here (as the desk's background cache check
// does), since Node 20 does not hand the process's `--import tsx` loader to new threads.
const TYPESCRIPT_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
require(workerData.tsxCjs);
require(workerData.module);
`;

/**
 * A thread running score-worker in the form this module runs in: score-worker.mjs beside the
 * server bundle (deploy/server-bundle.ts builds it as its own entry, as the desk's build does its
 * data process), or score-worker.ts beside this file in a checkout.
 */
function startWorker(job: ScoringJob): Worker {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  const module = path.join(path.dirname(here), `score-worker${extension}`);
  if (extension !== '.ts') return new Worker(module, { workerData: job });
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/cjs');
  return new Worker(TYPESCRIPT_WORKER_SOURCE, { eval: true, workerData: { ...job, module, tsxCjs } });
}

interface Pending {
  task: ScoringTask;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/** `workers` threads, each loaded once with the job (the model, configurations and scoring instant). */
function workerPool(job: ScoringJob, workers: number): PageScorer {
  const idle: Worker[] = [];
  const queued: Pending[] = [];
  const running = new Map<Worker, Pending>();
  let failure: Error | null = null;

  const dispatch = () => {
    while (failure === null && idle.length > 0 && queued.length > 0) {
      const worker = idle.pop() as Worker;
      const pending = queued.shift() as Pending;
      running.set(worker, pending);
      worker.postMessage(pending.task);
    }
  };
  // A thread that dies takes the run with it: every page still waiting fails with its reason.
  const fail = (error: Error) => {
    failure ??= error;
    for (const pending of [...running.values(), ...queued.splice(0)]) pending.reject(failure);
    running.clear();
  };

  const threads = Array.from({ length: workers }, () => {
    const worker = startWorker(job);
    worker.on('message', (answer: WorkerAnswer) => {
      const pending = running.get(worker);
      running.delete(worker);
      idle.push(worker);
      if (answer.ok) pending?.resolve(answer.result);
      else pending?.reject(new Error(answer.message));
      dispatch();
    });
    worker.on('error', (error) => fail(new Error(`a scoring worker thread failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`a scoring worker thread exited with code ${code}`));
    });
    idle.push(worker);
    return worker;
  });

  const run = (task: ScoringTask) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure !== null) return reject(failure);
      queued.push({ task, resolve, reject });
      dispatch();
    });
  return pageScorer(workers, run, async () => {
    await Promise.all(threads.map((worker) => worker.terminate()));
  });
}

/** Pages assessed by `workers` threads, or on this thread when `workers` is 0. */
export function createPageScorer(job: ScoringJob, workers: number): PageScorer {
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number >= 0, got ${workers}`);
  if (workers === 0)
    return pageScorer(
      0,
      async (task) => runScoringTask(task, job),
      async () => undefined,
    );
  return workerPool(job, workers);
}
