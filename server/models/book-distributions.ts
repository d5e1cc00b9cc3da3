// Today's book, feature by feature, in the bins of a model's training distributions: active
// customers' feature rows as `clm score` computes them, counted page by page so a large book
// never sits in memory; and a sample of it as a baseline for a model registered without its training data.
import { customerFeatureRows } from '../../shared/analytics/customer-features';
import type { StringRows } from '../../shared/analytics/dataset/csv-table';
import { countInBins, type FeatureDistribution } from '../../shared/analytics/monitoring/feature-distribution';
import { withSignals } from '../../shared/analytics/score-book';
import type { Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../db/sql-client';
import { customerPages, sampleCustomers, SCORING_PAGE_SIZE } from '../scoring/rescore-book';

export interface BookDistributions {
  customers: number;
  distributions: FeatureDistribution[];
}

const emptyBins = (training: readonly FeatureDistribution[]): FeatureDistribution[] =>
  training.map((shape) => ({ ...shape, counts: shape.counts.map(() => 0), missing: 0 }));

/** Counts of the active customers among `customers` in the training distributions' bins. */
export function activeCustomersInBins(training: readonly FeatureDistribution[], customers: readonly Customer[], now: Date): BookDistributions {
  const active = customers.filter((c) => c.status === 'active');
  const totals = emptyBins(training);
  addToBins(totals, active, now);
  return { customers: active.length, distributions: totals };
}

/** Adds active customers (the caller has left out the others) to the totals. */
function addToBins(totals: FeatureDistribution[], active: readonly Customer[], now: Date): void {
  if (active.length === 0) return;
  const [header, ...rows] = customerFeatureRows(withSignals(active, now));
  totals.forEach((total) => {
    const column = (header as readonly string[]).indexOf(total.feature);
    const counted = countInBins(
      total,
      rows.map((row) => row[column]),
    );
    counted.counts.forEach((count, bin) => (total.counts[bin] = (total.counts[bin] as number) + count));
    total.missing += counted.missing;
  });
}

export async function bookDistributions(db: SqlClient, training: readonly FeatureDistribution[], now: Date): Promise<BookDistributions> {
  const totals = emptyBins(training);
  let customers = 0;
  for await (const page of customerPages(db, SCORING_PAGE_SIZE, { activeOnly: true })) {
    customers += page.length;
    addToBins(totals, page, now);
  }
  return { customers, distributions: totals };
}

/** At most this many active customers' rows make a book baseline (an even sample of a larger book). */
const MAX_BASELINE_ROWS = 50_000;

/** Feature rows (header first) of an even sample of today's active customers: a baseline when no training data is at hand. */
export async function activeBookFeatureRows(db: SqlClient, now: Date): Promise<StringRows> {
  return customerFeatureRows(withSignals(await sampleCustomers(db, MAX_BASELINE_ROWS, { activeOnly: true }), now));
}
