// Population stability index: how far today's distribution of a feature has moved from the one
// the model was trained on. PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over the bins (blanks included), with
// e the training share and a today's. Conventionally < 0.1 is stable, 0.1–0.2 a shift worth a
// look and > 0.2 a shift that calls for retraining, hence the default threshold.
import type { FeatureDistribution } from './feature-distribution';

export const DEFAULT_DRIFT_THRESHOLD = 0.2;

/** A bin empty on one side counts as this share, so one empty bin does not make the index infinite. */
export const EMPTY_BIN_SHARE = 1e-4;

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total === 0) throw new RangeError('cannot compare an empty distribution');
  return counts.map((c) => Math.max(c / total, EMPTY_BIN_SHARE));
}

/** PSI between two count vectors over the same bins. */
export function populationStabilityIndex(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new RangeError(`${expected.length} expected bins for ${actual.length} actual bins`);
  const e = shares(expected);
  const a = shares(actual);
  return e.reduce((sum, ei, i) => sum + ((a[i] as number) - ei) * Math.log((a[i] as number) / ei), 0);
}

export interface FeatureDrift {
  feature: string;
  psi: number;
  flagged: boolean;
}

const binCounts = (d: FeatureDistribution) => [...d.counts, d.missing];

/** The drift flag: a PSI above the threshold (the report flags stored PSIs with the same rule). */
export const isDrifted = (psi: number, threshold: number) => psi > threshold;

/** Drift of each training feature in today's distributions (matched by name), flagged above the threshold. */
export function featureDrift(
  training: readonly FeatureDistribution[],
  today: readonly FeatureDistribution[],
  threshold: number = DEFAULT_DRIFT_THRESHOLD,
): FeatureDrift[] {
  return training.map((baseline) => {
    const current = today.find((d) => d.feature === baseline.feature);
    if (current === undefined) throw new RangeError(`no distribution of ${baseline.feature} today`);
    const psi = populationStabilityIndex(binCounts(baseline), binCounts(current));
    return { feature: baseline.feature, psi, flagged: isDrifted(psi, threshold) };
  });
}
