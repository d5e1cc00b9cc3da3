// Today's book, feature by feature, in the bins of a model's training distributions: active
// customers' feature rows as `clm score` computes them, counted page by page so a large book
// never sits in memory; and a sample of it as a baseline for a model registered without its training data.
import { customerFeatureRows } from '../../shared/analytics/customer-features';
import type { StringRows } from '../../shared/analytics/dataset/csv-table';
import { countInBins, type FeatureDistribution } from '../../shared/analytics/monitoring/feature-distribution';
import { withSignals } from '../../shared/analytics/score-book';
import type { Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../db/sql-client';
import { customerPages, SCORING_PAGE_SIZE } from '../scoring/rescore-book';

export interface BookDistributions {
  customers: number;
  distributions: FeatureDistribution[];
}

export async function bookDistributions(db: SqlClient, training: readonly FeatureDistribution[], now: Date): Promise<BookDistributions> {
  const totals = training.map((shape) => ({ ...shape, counts: shape.counts.map(() => 0), missing: 0 }));
  let customers = 0;
  for await (const page of customerPages(db, SCORING_PAGE_SIZE)) {
    const active = page.filter((customer) => customer.status === 'active');
    if (active.length === 0) continue;
    const [header, ...rows] = customerFeatureRows(withSignals(active, now));
    customers += rows.length;
    training.forEach((shape, f) => {
      const column = (header as readonly string[]).indexOf(shape.feature);
      const counted = countInBins(
        shape,
        rows.map((row) => row[column]),
      );
      const total = totals[f] as FeatureDistribution;
      counted.counts.forEach((count, bin) => (total.counts[bin] = (total.counts[bin] as number) + count));
      total.missing += counted.missing;
    });
  }
  return { customers, distributions: totals };
}

/** At most this many active customers' rows make a book baseline (an even sample of a larger book). */
const MAX_BASELINE_ROWS = 50_000;

/** Feature rows (header first) of an even sample of today's active customers: a baseline when no training data is at hand. */
export async function activeBookFeatureRows(db: SqlClient, now: Date): Promise<StringRows> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE NOT deleted AND data->>'status' = 'active'`);
  const stride = Math.max(1, Math.ceil((row?.n ?? 0) / MAX_BASELINE_ROWS));
  const sample: Customer[] = [];
  let index = 0;
  for await (const page of customerPages(db, SCORING_PAGE_SIZE)) {
    for (const customer of page) if (customer.status === 'active' && index++ % stride === 0) sample.push(customer);
  }
  return customerFeatureRows(withSignals(sample, now));
}
