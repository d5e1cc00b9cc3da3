// A batch-scoring worker thread (see scoring-threads.ts): scores the pages it is sent with the run's
// model and configurations, given once as workerData, and answers each with its result or error.
// It is its own entry of the server bundle (deploy/server-bundle.ts), beside clm.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { runScoringTask, type ScoringJob, type ScoringTask } from './score-page-work';

export type WorkerAnswer = { ok: true; result: unknown } | { ok: false; message: string };

const job = workerData as ScoringJob;
const port = parentPort;
if (port === null) throw new Error('score-worker.ts runs as a worker thread of clm score');

port.on('message', (task: ScoringTask) => {
  let answer: WorkerAnswer;
  try {
    answer = { ok: true, result: runScoringTask(task, job) };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
