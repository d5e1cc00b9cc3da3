// Issue 20: the probability a card shows means "chance of leaving within the horizon". The book's
// model, the champion the seed trained on the demo book (read from the run's seeded template, so its
// training, about 12 s of CPU, is not done again here), is measured on customers it never saw
// (the next 10,000 of the same generator), scored as the kept scores are, on the first day after
// each as-of month with their record as it stood then, against whether they really left within the
// horizon. Its training examples are labelled the same way (shared/analytics/churn-history.ts), so
// its predictions must be calibrated there and rank about as well as its cross-validation said.
import { describe, expect, it } from 'vitest';
import { CHURN_HORIZON_DAYS, recordInMonth } from '../../shared/analytics/churn-history';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { fallsShortOfTraining, performanceByMonth, type RealisedOutcome } from '../../shared/analytics/monitoring/realised-performance';
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { estimateChurn } from '../../shared/analytics/score-book';
import { DAY_MS, operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { championArtifact } from '../../server/models/model-registry';
import { DEMO_BOOK_SIZE, DEMO_REFERENCE_DATE, demoCustomerLife } from '../../server/seed/demo-customers';
import { openDemoPglite } from '../support/test-pglite';

const HELD_OUT = 10_000;
/** The generator's months (11 = the month before the reference date) scored here: those with six months behind them whose horizon has closed. */
const SCORED_MONTHS = [5, 6, 7, 8];
/** How far the top decile's mean prediction may sit from its realised churn, in probability points. */
const TOP_DECILE_TOLERANCE = 0.03;

/** The champion the demo seed trained and registered, read from the run's seeded template of the demo book. */
async function seededChampion(): Promise<ModelArtifact> {
  const demoBook = await openDemoPglite(DEMO_BOOK_SIZE);
  try {
    const champion = await championArtifact(demoBook.db);
    if (champion === null) throw new Error('the seeded demo book has no champion model');
    return champion;
  } finally {
    await demoBook.dispose();
  }
}

const model = await seededChampion();
const heldOut = Array.from({ length: HELD_OUT }, (_, i) => demoCustomerLife(DEMO_BOOK_SIZE + i));

/** The held-out customers still there on the first day after generator month `month`, scored on their record as it stood then. */
function scoredAfterMonth(month: number): RealisedOutcome[] {
  const scoredAt = new Date(Date.UTC(DEMO_REFERENCE_DATE.getUTCFullYear(), DEMO_REFERENCE_DATE.getUTCMonth() - (11 - month), 1));
  const scoredOn = operatorDateDaysBefore(scoredAt);
  const horizonEnd = operatorDateDaysBefore(new Date(scoredAt.getTime() + CHURN_HORIZON_DAYS * DAY_MS));
  const present = heldOut.filter(({ customer }) => customer.joinDate < scoredOn && (customer.churnDate ?? '9999') > scoredOn);
  const items = present.map((life) => {
    const asThen = recordInMonth(life, month);
    return { customer: asThen, signals: customerSignals(asThen, scoredAt) };
  });
  return estimateChurn(model, items, false).map(({ probability }, i) => {
    const churnDate = present[i]!.customer.churnDate;
    return { scoredOn, probability, churned: churnDate !== null && churnDate <= horizonEnd };
  });
}

const outcomes = SCORED_MONTHS.flatMap(scoredAfterMonth);
const months = performanceByMonth(outcomes, operatorDateDaysBefore(DEMO_REFERENCE_DATE, CHURN_HORIZON_DAYS));
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe("the book's churn model on customers it did not learn from", () => {
  it('predicts the share who leave within the horizon: overall and in the top decile, month by month', () => {
    expect(months).toHaveLength(SCORED_MONTHS.length);
    const observed = mean(outcomes.map((o) => (o.churned ? 1 : 0)));
    expect(Math.abs(mean(outcomes.map((o) => o.probability)) - observed), `observed ${observed}`).toBeLessThan(0.01);
    for (const month of months) {
      const top = month.calibration.at(-1)!;
      expect(top.decile).toBe(10);
      expect(
        Math.abs(top.meanPredicted - top.observedRate),
        `${month.month}: top decile ${top.meanPredicted} predicted, ${top.observedRate} left`,
      ).toBeLessThan(TOP_DECILE_TOLERANCE);
    }
  });

  it('ranks them about as well as its cross-validation said: no month falls short of training', () => {
    const trainingAuc = model.validation.metrics.auc;
    for (const month of months) {
      expect(month.enough && month.windowClosed, month.month).toBe(true);
      expect(fallsShortOfTraining(trainingAuc, month), `${month.month}: AUC ${month.auc} against ${trainingAuc} at training`).toBe(false);
    }
  });

  it('labels its examples as the card speaks: about the same share of positives as the held-out months leave', () => {
    const positiveShare = model.training.positives / model.training.rows;
    expect(Math.abs(positiveShare - mean(outcomes.map((o) => (o.churned ? 1 : 0))))).toBeLessThan(0.01);
  });
});
