// Which customer-months the book's churn model learns from, and how each is labelled: leaving
// within the horizon after the as-of month (shared/analytics/churn-history.ts).
import { describe, expect, it } from 'vitest';
import { trainingExamples } from '../../shared/analytics/churn-history';
import { DEMO_BOOK_SIZE, demoCustomerLife } from '../../server/seed/demo-customers';
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

  it("reads the months before the series in an early as-of month's 6-month trend, and the contract then in force", () => {
    const customer = { ...makeCustomer(4), arpu: Array.from({ length: 12 }, () => 100) };
    const history = { customer, earlierArpu: [50, 50, 50, 50, 50, 50], replacedContract: { end: '2026-09-30', untilMonth: 7 } };
    const [atMonth5, atMonth6, atMonth7] = trainingExamples(history, NOW);
    // Month 5: months 0-5 (100) against the six before the series (50); padded with month 0 it read flat.
    expect(atMonth5!.signals.arpuTrend6m).toBe(100);
    expect(trainingExamples({ customer }, NOW)[0]!.signals.arpuTrend6m).toBe(0);
    expect(atMonth6!.customer.contractEnd).toBe('2026-09-30');
    expect(atMonth7!.customer.contractEnd).toBe(customer.contractEnd);
  });
});

describe('training examples of the demo book', () => {
  // 24-month contracts: a customer whose contract began after an as-of month was then in the one it replaced.
  // Without it, the examples held contracts of up to 30 months, a bin today's book never fills (PSI 0.67).
  it('never holds a contract of more than 24 months', () => {
    const longest = Math.max(
      ...Array.from({ length: DEMO_BOOK_SIZE / 10 }, (_, i) =>
        trainingExamples(demoCustomerLife(i), NOW).map(({ signals }) => signals.contractDaysLeft ?? 0),
      ).flat(),
    );
    expect(longest).toBeLessThanOrEqual(730);
  });
});
