// The work on one page of batch scoring, from rows as the database hands them over (JSON text)
// to what the writing thread needs. The same functions run on the command's own thread and on
// each worker thread (score-worker.ts), so both give the same scores.
import type { CustomerScore } from '../../shared/contract/entities';
import { Customer } from '../../shared/contract/entities';
import { assessPage, bookValueInputs, estimateChurn, scoreChanged, withSignals, type BookScoringSettings } from '../../shared/analytics/score-book';
import type { BookCalibration, ValueInputs } from '../../shared/analytics/value/book-calibration';

/** What every page of one run is scored with; `now` is an ISO instant (it crosses to worker threads). */
export interface ScoringJob extends BookScoringSettings {
  now: string;
}

/** A customer's document and its stored score (null when it has none), as JSON text. */
export interface CustomerRow {
  customer: string;
  score: string | null;
}

export type ScoringTask = { kind: 'estimate'; customers: string[] } | { kind: 'assess'; rows: CustomerRow[]; calibration: BookCalibration };

const signalled = (documents: readonly string[], now: Date) =>
  withSignals(
    documents.map((text) => Customer.parse(JSON.parse(text))),
    now,
  );

/** Pass 1: churn estimates without explanations, reduced to the book calibration's inputs of the active customers. */
function activeValueInputs(customers: readonly string[], job: ScoringJob): ValueInputs[] {
  const items = signalled(customers, new Date(job.now));
  const inputs = bookValueInputs(items, estimateChurn(job.model, items, false), job.value);
  return inputs.filter((_, i) => items[i]?.customer.status === 'active');
}

/** Pass 2: the page's full assessments, keeping only those that differ from the stored score. */
function changedScores(rows: readonly CustomerRow[], job: ScoringJob, calibration: BookCalibration): CustomerScore[] {
  const now = new Date(job.now);
  const items = signalled(
    rows.map((row) => row.customer),
    now,
  );
  const scores = assessPage(items, estimateChurn(job.model, items), job, calibration, job.now);
  return scores.filter((score, i) => {
    const stored = rows[i]?.score;
    return stored == null || scoreChanged(JSON.parse(stored), score);
  });
}

export function runScoringTask(task: ScoringTask, job: ScoringJob): ValueInputs[] | CustomerScore[] {
  return task.kind === 'estimate' ? activeValueInputs(task.customers, job) : changedScores(task.rows, job, task.calibration);
}
