// Benchmark 6: scoring throughput. The churn model and its benchmark (bench/model-quality.ts,
// which writes bench/results-model.json) belong to the analytics work; this runs it as a child
// process when it exists and folds its JSON in, or records why it is not available.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from './support/child-rpc';
import { measurement, notAvailable, okResult, type BenchResult, type Measurement } from './support/result';
import { elapsedMs } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'scoring';
const TITLE = 'Scoring (churn model)';
const MODEL_BENCH = path.join(REPO_ROOT, 'bench/model-quality.ts');
const MODEL_RESULTS = path.join(REPO_ROOT, 'bench/results-model.json');
const TIMEOUT_MS = Number(process.env.CLM_BENCH_MODEL_TIMEOUT_MS ?? 15 * 60_000);
/** Keys that name a rate, e.g. scoresPerSecond, throughput, rows_per_s. */
const RATE_KEY = /throughput|per_?s(ec(ond)?)?\b|persecond|\/s$/i;

function runModelBench(): Promise<{ code: number | null; stderrTail: string }> {
  return new Promise((resolve, reject) => {
    // Its own tables go to stderr with the progress lines: stdout carries run-all's one table.
    const child = spawn(process.execPath, ['--import', 'tsx', MODEL_BENCH], { cwd: REPO_ROOT, stdio: ['ignore', 2, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderrTail: stderr.trim().split('\n').slice(-3).join(' / ') });
    });
  });
}

/** The part of results-model.json this table understands; the rest is kept as it is. */
const ModelThroughput = z.object({
  throughput: z.array(
    z.object({
      algo: z.string(),
      rows: z.number().optional(),
      rowsPerSecond: z.number(),
      baselineRowsPerSecond: z.number().optional(),
      goal: z.number().optional(),
    }),
  ),
});

function throughputMeasurements(json: unknown): Measurement[] | null {
  const parsed = ModelThroughput.safeParse(json);
  if (!parsed.success) return null;
  return parsed.data.throughput.map((t) =>
    measurement({
      metric: `batch scoring, ${t.algo}${t.rows === undefined ? '' : ` (${t.rows.toLocaleString('en-US')} rows)`}`,
      value: t.rowsPerSecond,
      unit: 'rows/s',
      ...(t.baselineRowsPerSecond === undefined
        ? {}
        : { baseline: { label: 'model-quality.ts baseline (bare dot product, same matrix)', value: t.baselineRowsPerSecond, unit: 'rows/s' } }),
      ...(t.goal === undefined ? {} : { goal: { on: 'value', atLeast: t.goal } }),
    }),
  );
}

/** Fallback for another shape: every numeric field whose key names a rate becomes a row. */
function rateMeasurements(json: unknown, prefix = ''): Measurement[] {
  if (json === null || typeof json !== 'object') return [];
  return Object.entries(json).flatMap(([key, value]) => {
    const keyPath = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'number' && RATE_KEY.test(key)) return [measurement({ metric: keyPath, value, unit: '/s' })];
    return rateMeasurements(value, keyPath);
  });
}

export async function runScoringBench(): Promise<BenchResult> {
  const started = performance.now();
  if (!existsSync(MODEL_BENCH)) return notAvailable(ID, TITLE, 'bench/model-quality.ts does not exist yet (the churn model is being written)');
  progress(ID, 'running bench/model-quality.ts');
  const startedAtMs = Date.now();
  const run = await runModelBench();
  const seconds = elapsedMs(started) / 1000;
  if (run.code !== 0) return notAvailable(ID, TITLE, `bench/model-quality.ts exited with ${run.code ?? 'a timeout'}: ${run.stderrTail}`, seconds);
  if (!existsSync(MODEL_RESULTS) || statSync(MODEL_RESULTS).mtimeMs < startedAtMs)
    return notAvailable(ID, TITLE, 'bench/model-quality.ts did not write a fresh bench/results-model.json', seconds);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(MODEL_RESULTS, 'utf8'));
  } catch (error) {
    return notAvailable(ID, TITLE, `bench/results-model.json is not JSON: ${error instanceof Error ? error.message : String(error)}`, seconds);
  }
  const measurements = throughputMeasurements(json) ?? rateMeasurements(json);
  return okResult(ID, TITLE, started, {
    measurements,
    notes: [
      `from bench/model-quality.ts (bench/results-model.json, folded in whole under "external")${measurements.length === 0 ? '; it reports no field named as a rate' : ''}.`,
    ],
    external: json,
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runScoringBench());
