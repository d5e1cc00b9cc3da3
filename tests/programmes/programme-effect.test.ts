// The programme report's statistics on known fixtures: Newcombe's own worked example for the
// interval of a difference of proportions, the posterior probability, and the value arithmetic.
import { describe, expect, it } from 'vitest';
import { differenceInterval, PROGRAMME_MIN_GROUP, programmeValue, programmeWindow, wilsonInterval } from '../../shared/analytics/programme-effect';

describe('intervals', () => {
  it("Wilson's interval of 81/263 (Newcombe 1998, Statistics in Medicine 17:857, example: 0.2553 to 0.3662)", () => {
    const [low, high] = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
  });

  it("Newcombe's hybrid score interval of 56/70 − 48/80 (his Table II, method 10: 0.0524 to 0.3339)", () => {
    const [low, high] = differenceInterval({ churned: 56, customers: 70 }, { churned: 48, customers: 80 });
    expect(low).toBeCloseTo(0.0524, 4);
    expect(high).toBeCloseTo(0.3339, 4);
  });

  it('stays inside [-1, 1] at the edges (0/10 − 10/10: -1 to -0.6075 by hand)', () => {
    const [low, high] = differenceInterval({ churned: 0, customers: 10 }, { churned: 10, customers: 10 });
    expect(low).toBeCloseTo(-1, 6);
    // Wilson of 0/10 is [0, 0.2775]; of 10/10 [0.7225, 1]: high = -1 + sqrt(0.2775² + 0.2775²).
    expect(high).toBeCloseTo(-1 + Math.SQRT2 * 0.27753, 4);
  });
});

describe('a window of treated against control', () => {
  it('is the churn the programme prevented, with its interval and P(helps)', () => {
    // Control churns 48/80 = 60 %, treated 56/70 = 80 %: the programme made things worse by 20 points.
    const w = programmeWindow(90, { customers: 70, churned: 56 }, { customers: 80, churned: 48 });
    expect(w.difference).toBeCloseTo(-0.2, 10);
    expect(w.interval![0]).toBeCloseTo(-0.3339, 4);
    expect(w.interval![1]).toBeCloseTo(-0.0524, 4);
    expect(w.probabilityHelps).toBeLessThan(0.01);
    expect(w.enoughData).toBe(false);
  });

  it('gives P(helps) one half when both groups churn alike, and says when there is enough data', () => {
    const w = programmeWindow(30, { customers: 1000, churned: 100 }, { customers: PROGRAMME_MIN_GROUP, churned: 10 });
    expect(w.difference).toBeCloseTo(0, 10);
    expect(w.probabilityHelps).toBeGreaterThan(0.4);
    expect(w.probabilityHelps).toBeLessThan(0.6);
    expect(w.enoughData).toBe(true);
    expect(programmeWindow(30, { customers: 1000, churned: 100 }, { customers: PROGRAMME_MIN_GROUP - 1, churned: 10 }).enoughData).toBe(false);
  });

  it('has no difference without one of the groups', () => {
    const w = programmeWindow(60, { customers: 10, churned: 1 }, { customers: 0, churned: 0 });
    expect(w).toMatchObject({ difference: null, interval: null, probabilityHelps: null, enoughData: false, control: { churnRate: null } });
  });
});

describe('what the programme is worth', () => {
  it('values the longest window with enough data: kept = difference × treated, revenue = kept × ARPU × months, net = revenue − cost', () => {
    const windows = [
      programmeWindow(30, { customers: 2000, churned: 100 }, { customers: 200, churned: 14 }),
      programmeWindow(60, { customers: 1500, churned: 120 }, { customers: 150, churned: 18 }),
      programmeWindow(90, { customers: 900, churned: 90 }, { customers: 90, churned: 12 }),
    ];
    const value = programmeValue(
      windows,
      new Map([
        [60, { arpuSum: 1500 * 80, cost: 10_000 }],
        [90, { arpuSum: 900 * 80, cost: 7_000 }],
      ]),
      12,
    )!;
    // 90 days has 90 control customers (< 100): the 60-day window is valued. 18/150 − 120/1500 = 0.04.
    expect(value.days).toBe(60);
    expect(value.customersKept).toBeCloseTo(60, 6);
    expect(value.arpu).toBe(80);
    expect(value.revenueKept).toBeCloseTo(60 * 80 * 12, 6);
    expect(value.cost).toBe(10_000);
    expect(value.netValue).toBeCloseTo(57_600 - 10_000, 6);
    const [low, high] = windows[1]!.interval!;
    expect(value.customersKeptInterval).toEqual([Math.round(low * 1500 * 100) / 100, Math.round(high * 1500 * 100) / 100]);
    expect(value.netValueInterval[0]).toBeCloseTo(low * 1500 * 80 * 12 - 10_000, 0);
  });

  it('is unknown while no window has enough data', () => {
    expect(programmeValue([programmeWindow(30, { customers: 50, churned: 5 }, { customers: 5, churned: 1 })], new Map(), 12)).toBeNull();
  });
});
