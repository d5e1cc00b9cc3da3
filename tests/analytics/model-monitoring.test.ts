// The monitoring arithmetic against figures worked out by hand: population stability index, the
// training bins a feature is counted in, calibration by decile, realised performance by month and
// the shadow share.
import { describe, expect, it } from 'vitest';
import { calibrationByDecile } from '../../shared/analytics/monitoring/calibration';
import { countInBins, decileEdges, featureDistributions } from '../../shared/analytics/monitoring/feature-distribution';
import { EMPTY_BIN_SHARE, featureDrift, populationStabilityIndex } from '../../shared/analytics/monitoring/population-stability';
import { compareShadow, performanceByMonth } from '../../shared/analytics/monitoring/realised-performance';
import { inShadowShare } from '../../shared/analytics/monitoring/shadow-share';

describe('population stability index', () => {
  it('is Σ (a − e)·ln(a / e) over the bins', () => {
    // e = (0.5, 0.5), a = (0.25, 0.75): (−0.25)·ln(0.5) + 0.25·ln(1.5) = 0.25·ln 3 ≈ 0.274653
    expect(populationStabilityIndex([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(3), 12);
    // e = (0.2, 0.3, 0.5), a = (0.3, 0.3, 0.4): 0.1·ln 1.5 + 0 + (−0.1)·ln 0.8 ≈ 0.062861
    expect(populationStabilityIndex([20, 30, 50], [30, 30, 40])).toBeCloseTo(0.1 * Math.log(1.5) - 0.1 * Math.log(0.8), 12);
    expect(populationStabilityIndex([3, 7], [30, 70])).toBe(0);
  });

  it('counts an empty bin as a tiny share instead of dividing by zero', () => {
    // e = (1, ε) → a = (0.5, 0.5): (0.5 − 1)·ln 0.5 + (0.5 − ε)·ln(0.5 / ε)
    const expected = -0.5 * Math.log(0.5) + (0.5 - EMPTY_BIN_SHARE) * Math.log(0.5 / EMPTY_BIN_SHARE);
    expect(populationStabilityIndex([10, 0], [5, 5])).toBeCloseTo(expected, 12);
  });

  it('refuses bins that do not line up and an empty side', () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(/bins/);
    expect(() => populationStabilityIndex([0, 0], [1, 2])).toThrow(/empty/);
  });
});

describe('feature distributions', () => {
  it('cuts numbers at distinct training deciles', () => {
    expect(decileEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // A count with few values gets fewer bins; the top value needs no cut.
    expect(decileEdges([0, 0, 0, 0, 0, 0, 0, 1, 1, 2])).toEqual([0, 1]);
  });

  it('counts values, blanks and unknown levels in the training bins, and flags a moved feature', () => {
    const training = [['tenure', 'plan', 'churned'], ...Array.from({ length: 10 }, (_, i) => [String(i + 1), i < 5 ? 'P19' : 'P39', 'no'])];
    const [tenure, plan] = featureDistributions(training, [
      { name: 'tenure', type: 'numeric', median: 5, hasMissing: false },
      { name: 'plan', type: 'categorical', levels: ['P19', 'P39'], hasMissing: false },
    ]);
    expect(tenure).toMatchObject({ edges: [1, 2, 3, 4, 5, 6, 7, 8, 9], counts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], missing: 0 });
    expect(plan).toMatchObject({ levels: ['P19', 'P39'], counts: [5, 5, 0], missing: 0 });

    expect(countInBins(tenure!, ['0.5', '9.5', '42', '', 'x']).counts).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(countInBins(tenure!, ['0.5', '9.5', '42', '', 'x']).missing).toBe(2);
    const today = countInBins(plan!, ['P19', 'P99', 'P99', ' ']);
    expect(today).toMatchObject({ counts: [1, 0, 2], missing: 1 });

    // plan: e = (0.5, 0.5, ε, ε), a = (0.25, ε, 0.5, 0.25): far above 0.2; tenure unchanged.
    const drift = featureDrift([tenure!, plan!], [tenure!, today], 0.2);
    expect(drift[0]).toEqual({ feature: 'tenure', psi: 0, flagged: false });
    expect(drift[1]!.flagged).toBe(true);
    expect(drift[1]!.psi).toBeCloseTo(populationStabilityIndex([5, 5, 0, 0], [1, 0, 2, 1]), 12);
  });
});

describe('calibration by decile', () => {
  it('groups ranks ⌊k·n/10⌋… lowest first, with the mean prediction and the share that left', () => {
    // 20 customers: probabilities 0.05, 0.10, …, 1.00; those from 0.80 up left.
    const p = Array.from({ length: 20 }, (_, i) => (i + 1) / 20);
    const churned = p.map((x) => x >= 0.8);
    const deciles = calibrationByDecile([...p].reverse(), [...churned].reverse());
    expect(deciles).toHaveLength(10);
    expect(deciles[0]).toMatchObject({ decile: 1, customers: 2, observedRate: 0 });
    expect(deciles[0]!.meanPredicted).toBeCloseTo(0.075, 12);
    // Decile 8 holds 0.75 and 0.80: one left.
    expect(deciles[7]).toMatchObject({ decile: 8, customers: 2, observedRate: 0.5 });
    expect(deciles[7]!.meanPredicted).toBeCloseTo(0.775, 12);
    expect(deciles[9]).toMatchObject({ decile: 10, customers: 2, observedRate: 1 });
  });

  it('splits a count that is not a multiple of ten and leaves out empty groups', () => {
    expect(calibrationByDecile([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99], new Array(11).fill(false)).map((d) => d.customers)).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 1, 2,
    ]);
    expect(calibrationByDecile([0.3, 0.6], [false, true])).toEqual([
      { decile: 5, customers: 1, meanPredicted: 0.3, observedRate: 0 },
      { decile: 10, customers: 1, meanPredicted: 0.6, observedRate: 1 },
    ]);
  });
});

describe('realised performance', () => {
  // 100 customers scored on 2026-06-05: the 25 highest left, so AUC 1 and top-decile lift 10 / 10 ÷ 25 / 100 = 4.
  const june = Array.from({ length: 100 }, (_, i) => ({ scoredOn: '2026-06-05', probability: i / 100, churned: i >= 75 }));
  // 30 customers scored in July with 5 leavers: not enough to measure.
  const july = Array.from({ length: 30 }, (_, i) => ({ scoredOn: '2026-07-01', probability: i / 30, churned: i < 5 }));

  it('measures each month with enough leavers and stayers, and says when a month has too few', () => {
    const [jun, jul] = performanceByMonth([...july, ...june], '2026-06-30');
    expect(jun).toMatchObject({ month: '2026-06', customers: 100, churned: 25, windowClosed: true, enough: true, auc: 1, topDecileLift: 4 });
    expect(jun!.calibration.map((d) => d.observedRate)).toEqual([0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1]);
    expect(jul).toEqual({
      month: '2026-07',
      customers: 30,
      churned: 5,
      windowClosed: false,
      enough: false,
      auc: null,
      topDecileLift: null,
      brier: null,
      calibration: [],
    });
  });

  it('compares the shadow challenger with the champion on the same customers', () => {
    const pairs = june.map((row, i) => ({ champion: row.probability, challenger: i % 2 === 0 ? row.probability : 1 - row.probability, churned: row.churned }));
    const comparison = compareShadow(pairs);
    expect(comparison).toMatchObject({ customers: 100, churned: 25, enough: true, championAuc: 1 });
    expect(comparison.challengerAuc).toBeLessThan(1);
    expect(compareShadow(pairs.slice(0, 30))).toMatchObject({ enough: false, championAuc: null, challengerAuc: null });
  });
});

describe('shadow share', () => {
  it('draws the same customers every time, about the share asked, and another sample for another challenger', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `CUS${String(i).padStart(7, '0')}`);
    const drawn = ids.filter((id) => inShadowShare(id, 'challenger-a', 0.1));
    expect(ids.filter((id) => inShadowShare(id, 'challenger-a', 0.1))).toEqual(drawn);
    expect(drawn.length).toBeGreaterThan(320);
    expect(drawn.length).toBeLessThan(480);
    const other = ids.filter((id) => inShadowShare(id, 'challenger-b', 0.1));
    expect(other.filter((id) => drawn.includes(id)).length).toBeLessThan(drawn.length / 2);
    expect(() => inShadowShare('CUS1', 'x', 1.5)).toThrow(/between 0 and 1/);
  });
});
