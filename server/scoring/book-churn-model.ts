// The churn model the demo book ships with: trained on the book's own history (who left vs.
// who stayed), as an operator would train on theirs. Gradient-boosted trees, seeded.
import type { Customer } from '../../shared/contract/entities';
import { CHURN_POSITIVE, CHURN_TARGET_COLUMN, customerTrainingRows } from '../../shared/analytics/customer-features';
import type { ModelArtifact } from '../../shared/analytics/model-artifact';
import { asTrainingExample } from '../../shared/analytics/churn-history';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';

/** Enough rows for a stable model; a larger book is sampled evenly so training stays a few seconds. */
export const MAX_TRAINING_ROWS = 50_000;

export function trainBookChurnModel(customers: readonly Customer[], now: Date, seed = 7): ModelArtifact {
  const stride = Math.max(1, Math.ceil(customers.length / MAX_TRAINING_ROWS));
  const sample = stride === 1 ? customers : customers.filter((_, i) => i % stride === 0);
  return trainChurnModel(customerTrainingRows(sample.map((customer) => asTrainingExample(customer, now))), {
    algo: 'gbdt',
    target: CHURN_TARGET_COLUMN,
    positive: CHURN_POSITIVE,
    idColumn: 'customer_id',
    createdAt: now.toISOString(),
    modelId: `book-gbdt-${now.toISOString().slice(0, 10)}`,
    // Three folds: calibration and thresholds stay honest, and a 20,000-row book seeds in seconds.
    folds: 3,
    // The book's drivers add up (a log-hazard, see server/seed/churn-hazard.ts): shallow trees at a
    // brisker rate learn them as well in a fraction of the trees, and each card's attribution
    // (TreeSHAP, per tree and leaf) costs that much less at seeding.
    gbdt: { learningRate: 0.1, maxDepth: 3 },
    seed,
  });
}
