// The champion's scores of the demo book's past months, kept as `clm model shadow` keeps each
// day's, so the models page has realised churn to measure on a fresh demo: on the first day of each
// month of the book's history whose 90 days the book has lived through, one customer in four active
// then is scored on their record as it stood that month (series, complaints and faults up to it),
// and whether they left within the horizon is in the book's own churn dates. The scores are
// in-sample for the seed's model, which learnt from the same leavers: demo figures, not an
// evaluation (npm run bench:model measures the model on held-out data). The programmes' past and the
// call history let today's customers leave again, day by day from their first day: a kept month
// whose window runs into those days would count those leavers on top of the generator's, who had
// already left at the same hazard in the same days, so such months are dropped (dropKeptScoresReaching).
import { CHURN_HORIZON_DAYS, recordInMonth } from '../../shared/analytics/churn-history';
import { customerSignals } from '../../shared/analytics/customer-signals';
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { estimateChurn } from '../../shared/analytics/score-book';
import { DAY_MS, operatorDateDaysBefore } from '../../shared/domain/operator-time';
import type { SqlClient } from '../db/sql-client';
import { DEMO_REFERENCE_DATE, type DemoCustomerLife } from './demo-customers';

/** The generator's months: 11 is the month before the reference date, 0 eleven months before that. */
const LAST_MONTH = 11;
/** One customer in this many is kept each month: a few hundred leavers a month to measure, at a quarter of the cost. */
const KEPT_STRIDE = 4;

const INSERT_KEPT = `INSERT INTO model_predictions (model_id, customer_id, scored_on, role, probability)
  SELECT $1, customer_id, $2::date, 'champion', probability FROM unnest($3::text[], $4::float8[]) AS p (customer_id, probability)
  ON CONFLICT DO NOTHING`;

const DROP_KEPT_REACHING = `DELETE FROM model_predictions
  WHERE role = 'champion' AND scored_on + $2::int >= $1::date`;

export interface KeptScoresReport {
  months: number;
  predictions: number;
}

/** Keeps `model`'s scores of the book's past months (those before `now`) as the champion's. */
export async function seedKeptScores(db: SqlClient, model: ModelArtifact, book: readonly DemoCustomerLife[], now: Date): Promise<KeptScoresReport> {
  const report: KeptScoresReport = { months: 0, predictions: 0 };
  for (let month = 0; month <= LAST_MONTH; month++) {
    // The first day of the calendar month after generator month `month`: month 11 ends on the reference date.
    const scoredAt = new Date(Date.UTC(DEMO_REFERENCE_DATE.getUTCFullYear(), DEMO_REFERENCE_DATE.getUTCMonth() - (LAST_MONTH - month), 1));
    // Only months whose horizon the generated book has lived through: its churn dates end at the reference date.
    const horizonEnd = new Date(scoredAt.getTime() + CHURN_HORIZON_DAYS * DAY_MS);
    if (horizonEnd > DEMO_REFERENCE_DATE || scoredAt >= now) continue;
    const scoredOn = operatorDateDaysBefore(scoredAt);
    const kept = book.filter(({ customer }, i) => i % KEPT_STRIDE === 0 && customer.joinDate < scoredOn && (customer.churnDate ?? '9999') > scoredOn);
    const items = kept.map((life) => {
      const asThen = recordInMonth(life, month);
      return { customer: asThen, signals: customerSignals(asThen, scoredAt) };
    });
    const probabilities = estimateChurn(model, items, false).map((e) => e.probability);
    await db.query(INSERT_KEPT, [model.modelId, scoredOn, kept.map((l) => l.customer.id), probabilities]);
    report.months++;
    report.predictions += kept.length;
  }
  return report;
}

/**
 * Drops the champion's kept scores whose horizon reaches `firstDay`: a
 * simulated past that lets the book's customers leave from `firstDay` (operator date) on is about to
 * be seeded, and on a clock near the book's reference date those days are the generator's too.
 */
export async function dropKeptScoresReaching(db: SqlClient, firstDay: string): Promise<void> {
  await db.query(DROP_KEPT_REACHING, [firstDay, CHURN_HORIZON_DAYS]);
}
