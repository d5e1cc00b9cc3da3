// Which customer-months the book's churn model learns from, and how each is labelled: leaving
// within the horizon after the as-of month (shared/analytics/churn-history.ts).
import { describe, expect, it } from 'vitest';
import { trainingExamples } from '../../shared/analytics/churn-history';
import { makeCustomer } from '../db/support/fixtures';

const NOW = new Date('2026-11-01T00:00:00Z');
/** Each example's label, in as-of order: churned (left within the horizon) or active. */
const labelled = (examples: ReturnType<typeof trainingExamples>) => examples.map(({ customer }) => customer.status);

describe('training examples of the book', () => {
  it('gives a stayer one negative example at each as-of month whose horizon the series has lived through', () => {
    expect(labelled(trainingExamples({ customer: makeCustomer(1) }, NOW))).toEqual(['active', 'active', 'active', 'active']);
  });

  it('makes a leaver positive in the months within the horizon before leaving and negative before, and nothing after', () => {
    // Spend and use stop after month 7 of 12 (0 = oldest): left within 90 days of months 5, 6 and 7.
    const stopped = (series: number[]) => series.map((value, month) => (month <= 7 ? value : 0));
    const base = makeCustomer(2);
    const leaver = {
      ...base,
      status: 'churned' as const,
      churnDate: '2026-07-20',
      arpu: stopped(base.arpu),
      dataUsageGb: stopped(base.dataUsageGb),
      voiceMinutes: stopped(base.voiceMinutes),
    };
    expect(labelled(trainingExamples({ customer: leaver }, NOW))).toEqual(['churned', 'churned', 'churned']);
    const later = (series: number[]) => series.map((value, month) => (month <= 10 ? value : 0));
    const lateLeaver = {
      ...leaver,
      churnDate: '2026-10-20',
      arpu: later(base.arpu),
      dataUsageGb: later(base.dataUsageGb),
      voiceMinutes: later(base.voiceMinutes),
    };
    expect(labelled(trainingExamples({ customer: lateLeaver }, NOW))).toEqual(['active', 'active', 'active', 'churned']);
  });

  it('counts a closed account without a churn date once, as a leaver at the latest as-of month, so a book that says only who left can still train', () => {
    const undated = makeCustomer(3, { status: 'churned', churnDate: null });
    const examples = trainingExamples({ customer: undated }, NOW);
    expect(labelled(examples)).toEqual(['churned']);
    expect(examples[0]!.customer.arpu.at(-1)).toBe(undated.arpu[8]);
  });
});
