// Lets each benchmark module run alone (`npx tsx bench/lookup.ts`): prints the same table
// run-all prints, for that one benchmark, and writes no results file.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchRows } from './book';
import { machineInfo } from './machine';
import { renderText } from './report';
import { failedResult, type BenchResult } from './result';
import { elapsedMs } from './stats';

export const isMainModule = (moduleUrl: string): boolean => process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === moduleUrl;

/** Runs `bench` and prints its table; a thrown error is reported as a failed benchmark. */
export async function runStandalone(id: string, title: string, bench: () => Promise<BenchResult>): Promise<void> {
  const started = performance.now();
  const date = new Date().toISOString();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const result = await runGuarded(id, title, bench);
  const report = {
    date,
    machine: machineInfo(),
    rows: benchRows(),
    totalSeconds: elapsedMs(started) / 1000,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
    setup: [],
    benchmarks: [result],
  };
  console.log(`\n${renderText(report)}`);
  process.exitCode = result.status === 'failed' ? 1 : 0;
}

/** A benchmark that throws becomes a 'failed' row with the reason, so one failure does not lose the others. */
export async function runGuarded(id: string, title: string, bench: () => Promise<BenchResult>): Promise<BenchResult> {
  const started = performance.now();
  try {
    return await bench();
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    console.error(`[bench] ${id} failed:`, error);
    return failedResult(id, title, reason, elapsedMs(started) / 1000);
  }
}

/** Progress lines go to stderr so the table on stdout stays clean. */
export function progress(id: string, message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${id}: ${message}`);
}
