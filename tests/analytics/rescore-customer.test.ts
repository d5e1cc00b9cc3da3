// Desk-side re-scoring: a complaint logged during a call raises the risk at once, with the same
// answer the server's batch scoring gives for the same record.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import { scoreBookInMemory } from '../../shared/analytics/score-book';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { DEFAULT_VALUE_CONFIG } from '../../shared/analytics/value/value-config';
import { trainBookChurnModel } from '../../server/scoring/book-churn-model';
import { demoCustomerLife } from '../../server/seed/demo-customers';

const NOW = new Date('2026-11-20T08:00:00Z');

describe('re-scoring one customer on the desk', () => {
  const lives = Array.from({ length: 5000 }, (_, i) => demoCustomerLife(i));
  const book = lives.map((life) => life.customer);
  const model = trainBookChurnModel(lives, NOW);
  const settings = { model, lifecycle: DEFAULT_LIFECYCLE_CONFIG, value: DEFAULT_VALUE_CONFIG };
  const { calibration, scores } = scoreBookInMemory(book, settings, NOW);
  const bundle = ScoringBundle.parse({
    id: 'current',
    version: 1,
    ...settings,
    calibration,
    publishedAt: NOW.toISOString(),
  });

  it('gives exactly the batch score for an unchanged record', () => {
    for (const index of [3, 42, 999]) {
      const { scoredAt: _a, version: _v, ...batch } = scores[index]!;
      const { scoredAt: _b, ...desk } = rescoreCustomer(book[index]!, bundle, NOW);
      expect(desk).toEqual(batch);
    }
  });

  it('raises the churn risk as complaints are logged, and says so in the stage reasons', () => {
    const calm = book.find((c, i) => c.status === 'active' && scores[i]!.warningLevel === 'none' && c.complaints30d === 0)!;
    const before = rescoreCustomer(calm, bundle, NOW);
    const after = rescoreCustomer(withCustomerEvents(calm, ['complaint', 'complaint', 'complaint', 'network_issue']), bundle, NOW);
    expect(after.churnProbability).toBeGreaterThan(before.churnProbability);
    expect(after.stage).toBe('D');
    expect(after.stageReasons.map((r) => r.code)).toContain('complaints_30d');
  });

  it('folds events into the counters and leaves the record alone without events', () => {
    const customer = book[7]!;
    expect(withCustomerEvents(customer, [])).toBe(customer);
    const changed = withCustomerEvents(customer, ['complaint', 'network_issue', 'network_issue']);
    expect(changed.complaints30d - customer.complaints30d).toBe(1);
    expect(changed.complaints90d - customer.complaints90d).toBe(1);
    expect(changed.networkIssues90d - customer.networkIssues90d).toBe(2);
  });

  it('refuses a bundle whose parts do not validate', () => {
    expect(ScoringBundle.safeParse({ ...bundle, calibration: { ...calibration, recencyCuts: [1, 2] } }).success).toBe(false);
    expect(ScoringBundle.safeParse({ ...bundle, id: 'other' }).success).toBe(false);
  });
});
