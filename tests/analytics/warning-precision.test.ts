// Realised precision and recall of the warning levels against counts worked out by hand, and the
// "far below target" judgement against Wilson intervals.
import { describe, expect, it } from 'vitest';
import type { WarningLevel } from '../../shared/contract/entities';
import { shownPercent } from '../../shared/domain/probability';
import { keptModelId } from '../../shared/analytics/monitoring/kept-model-id';
import { precisionFarBelowTarget, warningPrecisionByMonth, type LevelledOutcome } from '../../shared/analytics/monitoring/warning-precision';
import { warnedFromPercent, warningLevelFor, type WarningThresholds } from '../../shared/analytics/models/warning-thresholds';

const THRESHOLDS: WarningThresholds = {
  targets: { red: 0.7, orange: 0.5, yellow: 0.3 },
  minFlagged: 5,
  red: { probability: 0.6, precision: 0.72, recall: 0.2, flaggedShare: 0.03 },
  orange: { probability: 0.4, precision: 0.51, recall: 0.4, flaggedShare: 0.08 },
  yellow: null,
};

const outcomes = (scoredOn: string, level: WarningLevel, customers: number, churned: number): LevelledOutcome[] =>
  Array.from({ length: customers }, (_, i) => ({ scoredOn, level, churned: i < churned }));

describe('warning precision by month', () => {
  it('counts each level, the levels at or above it and the recall, for final months only', () => {
    const march = [
      ...outcomes('2026-03-02', 'red', 10, 3),
      ...outcomes('2026-03-10', 'orange', 20, 4),
      ...outcomes('2026-03-20', 'yellow', 10, 1),
      ...outcomes('2026-03-31', 'none', 60, 2),
    ];
    const april = outcomes('2026-04-01', 'red', 5, 5);
    const [month, ...rest] = warningPrecisionByMonth([...april, ...march], '2026-03-31', THRESHOLDS);
    expect(rest).toEqual([]); // April's window is still open.
    expect(month).toMatchObject({ month: '2026-03', customers: 100, churned: 10, unwarnedCustomers: 60, unwarnedChurned: 2 });
    expect(month!.levels).toEqual([
      {
        level: 'red',
        target: 0.7,
        trainingPrecision: 0.72,
        customers: 10,
        churned: 3,
        precision: 0.3,
        customersAtOrAbove: 10,
        churnedAtOrAbove: 3,
        precisionAtOrAbove: 0.3,
        recall: 0.3,
        // Wilson upper bound of 3/10 ≈ 0.603, not below 0.5.
        farBelowTarget: false,
      },
      {
        level: 'orange',
        target: 0.5,
        trainingPrecision: 0.51,
        customers: 20,
        churned: 4,
        precision: 0.2,
        customersAtOrAbove: 30,
        churnedAtOrAbove: 7,
        precisionAtOrAbove: 7 / 30,
        recall: 0.7,
        // Wilson upper bound of 7/30 ≈ 0.409, above 0.3.
        farBelowTarget: false,
      },
      {
        level: 'yellow',
        target: 0.3,
        trainingPrecision: null,
        customers: 10,
        churned: 1,
        precision: 0.1,
        customersAtOrAbove: 40,
        churnedAtOrAbove: 8,
        precisionAtOrAbove: 0.2,
        recall: 0.8,
        // Wilson upper bound of 8/40 ≈ 0.348, above 0.1.
        farBelowTarget: false,
      },
    ]);
  });

  it('says nothing of a level with no customer or a month with no leaver', () => {
    const [month] = warningPrecisionByMonth(outcomes('2026-01-15', 'none', 4, 0), '2026-02-01', THRESHOLDS);
    expect(month!.levels.map((l) => [l.precision, l.precisionAtOrAbove, l.recall, l.farBelowTarget])).toEqual([
      [null, null, null, false],
      [null, null, null, false],
      [null, null, null, false],
    ]);
  });

  it('calls red far below its target when even the 95 % interval stays 20 points under it', () => {
    // 26 of 100: Wilson 95 % ≈ [0.184, 0.354], under 0.7 − 0.2.
    expect(precisionFarBelowTarget(26, 100, 0.7)).toBe(true);
    // 3 of 10: upper end ≈ 0.603, too few customers to say.
    expect(precisionFarBelowTarget(3, 10, 0.7)).toBe(false);
    expect(precisionFarBelowTarget(0, 0, 0.7)).toBe(false);
    const [month] = warningPrecisionByMonth(outcomes('2026-02-03', 'red', 100, 26), '2026-02-28', THRESHOLDS);
    expect(month!.levels[0]).toMatchObject({ level: 'red', precision: 0.26, recall: 1, farBelowTarget: true });
  });
});

describe('kept model id', () => {
  it("reads the model id out of the card's model version, and leaves a bare id as it is", () => {
    expect(keptModelId('book-gbdt-2026-11-20 · lifecycle-2026.11-1 · value-2026.11-1')).toBe('book-gbdt-2026-11-20');
    expect(keptModelId('shadow-challenger')).toBe('shadow-challenger');
  });
});

describe('warned from percent', () => {
  it('is the whole percent of the lowest level given, whichever level that is, or null when none is', () => {
    expect(warnedFromPercent(THRESHOLDS)).toBe(40);
    const level = { precision: 0.5, recall: 0.5, flaggedShare: 0.1 };
    // A yellow above orange (thresholds chosen elsewhere): the lowest start still counts.
    expect(warnedFromPercent({ ...THRESHOLDS, orange: { probability: 0.2051, ...level }, yellow: { probability: 0.25, ...level } })).toBe(21);
    expect(warnedFromPercent({ ...THRESHOLDS, red: null, orange: null, yellow: null })).toBeNull();
  });

  it('warns exactly the probabilities that reach some level', () => {
    for (const probability of [0, 0.3949, 0.395, 0.4, 0.599, 0.6, 1]) {
      expect(warningLevelFor(THRESHOLDS, probability) !== 'none').toBe(shownPercent(probability) >= warnedFromPercent(THRESHOLDS)!);
    }
  });
});
