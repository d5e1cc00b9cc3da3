// The churn model the demo book ships with: trained on the book's own history (who left within the
// horizon after an as-of month vs. who stayed, shared/analytics/churn-history.ts), as an operator
// would train on theirs. Gradient-boosted trees, seeded.
import { CHURN_POSITIVE, CHURN_TARGET_COLUMN, customerTrainingRows } from '../../shared/analytics/customer-features';
import type { StringRows } from '../../shared/analytics/dataset/csv-table';
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { trainingExamples, type CustomerHistory } from '../../shared/analytics/churn-history';
import type { PrecisionTargets } from '../../shared/analytics/models/warning-thresholds';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';

/**
 * Enough customers for a stable model (up to four examples each, about 66,000 rows from the demo
 * book's 20,000); a larger book is sampled evenly so training stays within some twenty seconds.
 */
export const MAX_TRAINING_CUSTOMERS = 20_000;

/** The training rows of the book's customers, an even sample of them when it is larger than MAX_TRAINING_CUSTOMERS. */
export function bookTrainingRows(book: readonly CustomerHistory[], now: Date): StringRows {
  const stride = Math.max(1, Math.ceil(book.length / MAX_TRAINING_CUSTOMERS));
  const sample = stride === 1 ? book : book.filter((_, i) => i % stride === 0);
  return customerTrainingRows(sample.flatMap((history) => trainingExamples(history, now)));
}

/**
 * The share of warned customers who leave within the horizon that each level stands for. Over 90
 * days even the book's riskiest hundredth leaves about four times in ten (its examples' churn rate
 * is about 6 %), so the default 70/50/30 % would never warn red or orange: at these, about 1 % of
 * the demo book's examples are red, 8 % orange or above and 28 % yellow or above.
 */
export const BOOK_PRECISION_TARGETS: PrecisionTargets = { red: 0.4, orange: 0.2, yellow: 0.12 };

export function trainBookChurnModel(book: readonly CustomerHistory[], now: Date, seed = 7): ModelArtifact {
  return trainBookChurnModelOn(bookTrainingRows(book, now), now, seed);
}

/** The book's model trained on rows bookTrainingRows already built (the seed also summarises them for the registry). */
export function trainBookChurnModelOn(rows: StringRows, now: Date, seed = 7): ModelArtifact {
  return trainChurnModel(rows, {
    algo: 'gbdt',
    target: CHURN_TARGET_COLUMN,
    positive: CHURN_POSITIVE,
    idColumn: 'customer_id',
    createdAt: now.toISOString(),
    modelId: `book-gbdt-${now.toISOString().slice(0, 10)}`,
    // Three folds, by customer: calibration and thresholds stay honest, and a 20,000-customer book trains in some twenty seconds.
    folds: 3,
    // The book's drivers add up (a log-hazard, see server/seed/churn-hazard.ts): shallow trees at a
    // brisker rate learn them as well in a fraction of the trees, and each card's attribution
    // (TreeSHAP, per tree and leaf) costs that much less at seeding.
    gbdt: { learningRate: 0.1, maxDepth: 3 },
    precisionTargets: BOOK_PRECISION_TARGETS,
    seed,
  });
}
