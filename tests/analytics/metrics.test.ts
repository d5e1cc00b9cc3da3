import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  brierScore,
  classificationMetrics,
  logLoss,
  rocAuc,
  stratifiedKFold,
  stratifiedSplit,
  topDecileLift,
} from '../../shared/analytics/metrics';
import { stratifiedGroupKFold } from '../../shared/analytics/sampling';

const y = (...labels: number[]) => Uint8Array.from(labels);

describe('ROC AUC (as sklearn.metrics.roc_auc_score)', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], y(0, 0, 1, 1))).toBeCloseTo(0.75, 12);
  });
  it('counts a tie between a positive and a negative as one half', () => {
    // pairs (0.5 vs 0.5) = ½, (0.5 vs 0.1), (0.9 vs 0.5), (0.9 vs 0.1) = 1 → 3.5 / 4
    expect(rocAuc([0.5, 0.5, 0.9, 0.1], y(1, 0, 1, 0))).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], y(1, 0, 1, 0))).toBe(0.5);
  });
  it('is 1 for a perfect ranking and 0 for an inverted one; NaN with one class', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], y(0, 0, 1, 1))).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], y(0, 0, 1, 1))).toBe(0);
    expect(rocAuc([0.9, 0.8], y(1, 1))).toBeNaN();
  });
});

describe('average precision (as sklearn.metrics.average_precision_score)', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], y(0, 0, 1, 1))).toBeCloseTo(0.8333333333, 9);
  });
  it('treats tied scores as one threshold', () => {
    // 0.9: P=1, R=½; 0.5 (tie): P=⅔, R=1 → ½·1 + ½·⅔
    expect(averagePrecision([0.5, 0.5, 0.9, 0.1], y(1, 0, 1, 0))).toBeCloseTo(0.5 + 1 / 3, 12);
  });
  it('is 1 for a perfect ranking', () => {
    expect(averagePrecision([0.1, 0.2, 0.8, 0.9], y(0, 0, 1, 1))).toBe(1);
  });
});

describe('log loss, Brier, top-decile lift', () => {
  it('computes the hand values', () => {
    expect(logLoss([0.8, 0.3], y(1, 0))).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    // Clipped at 1e-15, so a confident mistake costs about 34.5 nats, not infinity.
    expect(logLoss([1, 0], y(0, 1))).toBeGreaterThan(34);
    expect(logLoss([1, 0], y(0, 1))).toBeLessThan(35);
    expect(brierScore([0.8, 0.3], y(1, 0))).toBeCloseTo((0.04 + 0.09) / 2, 12);
  });
  it('lift compares the churn rate of the top 10 % with the overall rate', () => {
    const labels = y(...Array.from({ length: 20 }, (_, i) => (i < 4 ? 1 : 0)));
    const scores = Array.from({ length: 20 }, (_, i) => 1 - i / 20);
    expect(topDecileLift(scores, labels)).toBeCloseTo(1 / 0.2, 12);
    expect(
      topDecileLift(
        scores.map((s) => -s),
        labels,
      ),
    ).toBe(0);
  });
  it('bundles every metric with the row counts', () => {
    expect(classificationMetrics([0.1, 0.4, 0.35, 0.8], y(0, 0, 1, 1))).toMatchObject({ auc: 0.75, rows: 4, positives: 2 });
  });
});

describe('stratified split and k-fold', () => {
  const labels = y(...Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0)));
  it('keeps the class balance in both parts and is reproducible per seed', () => {
    const split = stratifiedSplit(labels, 0.2, 3);
    expect(split.test.length).toBe(200);
    expect(Array.from(split.test).filter((i) => labels[i] === 1).length).toBe(50);
    expect(new Set([...split.train, ...split.test]).size).toBe(1000);
    expect(stratifiedSplit(labels, 0.2, 3)).toEqual(split);
    expect(stratifiedSplit(labels, 0.2, 4).test).not.toEqual(split.test);
  });
  it('deals each class evenly over the folds', () => {
    const folds = stratifiedKFold(labels, 5, 1);
    for (let f = 0; f < 5; f++) {
      const members = Array.from(folds.keys()).filter((i) => folds[i] === f);
      expect(members.length).toBe(200);
      expect(members.filter((i) => labels[i] === 1).length).toBe(50);
    }
    expect(() => stratifiedKFold(labels, 1, 1)).toThrow(/at least 2 folds/);
  });
  it("keeps each group's rows (one customer's examples at several months) in one fold, and is stratifiedKFold with one row a group", () => {
    const groups = Array.from(labels, (_, i) => `CUS${Math.floor(i / 4)}`);
    const folds = stratifiedGroupKFold(labels, groups, 5, 1);
    for (let i = 0; i < labels.length; i += 4) expect(new Set(folds.slice(i, i + 4)).size).toBe(1);
    for (let f = 0; f < 5; f++) expect(folds.filter((fold) => fold === f).length).toBe(200);
    expect(
      stratifiedGroupKFold(
        labels,
        Array.from(labels, (_, i) => `CUS${i}`),
        5,
        1,
      ),
    ).toEqual(stratifiedKFold(labels, 5, 1));
  });
});
