// The shape every benchmark returns, and the one place a figure is compared with its
// baseline and its goal. Benchmarks report; nothing here ever fails a run on a number.
import { elapsedMs } from './stats';

/** A goal on the figure itself (e.g. p95 ≤ 50 ms) or on figure ÷ baseline (e.g. ≤ 2× raw). */
export interface Goal {
  on: 'value' | 'ratio';
  atMost?: number;
  atLeast?: number;
}

export interface Baseline {
  /** What the baseline is, in words (it is measured in the same run). */
  label: string;
  value: number;
  unit: string;
}

export interface Measurement {
  metric: string;
  value: number;
  unit: string;
  baseline?: Baseline;
  /** value ÷ baseline.value (same unit), when there is a baseline. */
  ratio?: number;
  goal?: Goal & { text: string; met: boolean };
}

export type BenchStatus = 'ok' | 'not available' | 'failed';

export interface BenchResult {
  id: string;
  title: string;
  status: BenchStatus;
  /** Why the benchmark is not available or failed. */
  reason?: string;
  measurements: Measurement[];
  /** Context a reader needs: sizes, drivers, setup costs, checks that passed or failed. */
  notes: string[];
  /** Wall time of the whole benchmark, setup included. */
  seconds: number;
  /** Raw JSON folded in from an external benchmark (scoring). */
  external?: unknown;
}

function goalText(goal: Goal, unit: string): string {
  const suffix = goal.on === 'ratio' ? '× baseline' : unit === '' ? '' : ` ${unit}`;
  if (goal.atMost !== undefined) return `≤ ${goal.atMost}${suffix}`;
  if (goal.atLeast !== undefined) return `≥ ${goal.atLeast}${suffix}`;
  return '';
}

/** Builds a measurement, computing the ratio and whether the goal is met. */
export function measurement(input: { metric: string; value: number; unit: string; baseline?: Baseline; goal?: Goal }): Measurement {
  const result: Measurement = { metric: input.metric, value: input.value, unit: input.unit };
  if (input.baseline !== undefined) {
    result.baseline = input.baseline;
    if (input.baseline.value !== 0) result.ratio = input.value / input.baseline.value;
  }
  if (input.goal !== undefined) {
    const subject = input.goal.on === 'ratio' ? result.ratio : input.value;
    const met =
      subject !== undefined &&
      (input.goal.atMost === undefined || subject <= input.goal.atMost) &&
      (input.goal.atLeast === undefined || subject >= input.goal.atLeast);
    result.goal = { ...input.goal, text: goalText(input.goal, input.unit), met };
  }
  return result;
}

/** A benchmark that ran: its figures and notes, its wall time counted from `started` (performance.now() when it began). */
export function okResult(id: string, title: string, started: number, body: { measurements: Measurement[]; notes: string[]; external?: unknown }): BenchResult {
  return { id, title, status: 'ok', ...body, seconds: elapsedMs(started) / 1000 };
}

export function notAvailable(id: string, title: string, reason: string, seconds = 0): BenchResult {
  return { id, title, status: 'not available', reason, measurements: [], notes: [], seconds };
}

export function failedResult(id: string, title: string, reason: string, seconds: number): BenchResult {
  return { id, title, status: 'failed', reason, measurements: [], notes: [], seconds };
}
