// A real scoring bundle for desk re-scoring tests: a churn model trained on generated demo
// customers, calibrated and published like the server's batch run does.
import { DEFAULT_LIFECYCLE_CONFIG } from '../../../shared/analytics/lifecycle/lifecycle-config';
import { scoreBookInMemory } from '../../../shared/analytics/score-book';
import { ScoringBundle } from '../../../shared/analytics/scoring-bundle';
import { DEFAULT_VALUE_CONFIG } from '../../../shared/analytics/value/value-config';
import type { Customer, CustomerScore } from '../../../shared/contract/entities';
import { trainBookChurnModel } from '../../../server/scoring/book-churn-model';
import { demoCustomerLife } from '../../../server/seed/demo-customers';

export interface DemoScoring {
  book: Customer[];
  /** The batch scores of `book`, index for index. */
  scores: CustomerScore[];
  bundle: ScoringBundle;
}

export function buildDemoScoring(now: Date, customers = 3000): DemoScoring {
  const lives = Array.from({ length: customers }, (_, i) => demoCustomerLife(i));
  const book = lives.map((life) => life.customer);
  const settings = { model: trainBookChurnModel(lives, now), lifecycle: DEFAULT_LIFECYCLE_CONFIG, value: DEFAULT_VALUE_CONFIG };
  const { calibration, scores } = scoreBookInMemory(book, settings, now);
  const bundle = ScoringBundle.parse({ id: 'current', version: 1, ...settings, calibration, publishedAt: now.toISOString() });
  return { book, scores, bundle };
}

/** An active customer the batch sees as calm (no warning, no complaint this month) that also passes `also`. */
export function calmCustomerIndex(scoring: DemoScoring, also: (customer: Customer, score: CustomerScore) => boolean = () => true): number {
  const index = scoring.book.findIndex((c, i) => {
    const score = scoring.scores[i]!;
    return c.status === 'active' && score.warningLevel === 'none' && c.complaints30d === 0 && also(c, score);
  });
  if (index < 0) throw new Error('the demo book has no calm customer');
  return index;
}
