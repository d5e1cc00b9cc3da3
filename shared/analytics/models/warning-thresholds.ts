// Warning levels (预警级别) from calibrated probability: each level's threshold is the lowest
// probability at which the customers flagged at or above it churned with the target precision
// on validation data, so "red" means e.g. "at least 7 in 10 of these leave". The precision is that
// of the training examples; for the book's model they are customers at an as-of month labelled by
// leaving within the horizon after it (shared/analytics/churn-history.ts), as the models page
// measures the kept scores, so the two precisions can be compared.
import { z } from 'zod';
import type { WarningLevel } from '../../contract/entities';
import { shownPercent } from '../../domain/probability';

export const PrecisionTargets = z
  .object({ red: z.number().gt(0).max(1), orange: z.number().gt(0).max(1), yellow: z.number().gt(0).max(1) })
  .refine((t) => t.red >= t.orange && t.orange >= t.yellow, 'precision targets must satisfy red ≥ orange ≥ yellow');
export type PrecisionTargets = z.infer<typeof PrecisionTargets>;

export const DEFAULT_PRECISION_TARGETS: PrecisionTargets = { red: 0.7, orange: 0.5, yellow: 0.3 };

const LevelThreshold = z.object({
  /** Probability at or above which the level applies (a whole percent, as the card shows it). */
  probability: z.number().min(0).max(1),
  /** What it achieved on validation data. */
  precision: z.number(),
  recall: z.number(),
  flaggedShare: z.number(),
});

export const WarningThresholds = z.object({
  targets: PrecisionTargets,
  /** Minimum flagged validation rows behind a threshold, so one lucky customer cannot set it. */
  minFlagged: z.number().int().positive(),
  /** null when validation data never reached the level's precision target: the level is never given. */
  red: LevelThreshold.nullable(),
  orange: LevelThreshold.nullable(),
  yellow: LevelThreshold.nullable(),
});
export type WarningThresholds = z.infer<typeof WarningThresholds>;

type LevelThreshold = z.infer<typeof LevelThreshold>;

function lowestThresholdReaching(probabilities: Float64Array, labels: Uint8Array, target: number, minFlagged: number): LevelThreshold | null {
  const order = Uint32Array.from(probabilities.keys()).sort((a, b) => (probabilities[b] as number) - (probabilities[a] as number));
  let positives = 0;
  for (const label of labels) positives += label;
  let truePositives = 0;
  let found: LevelThreshold | null = null;
  for (let start = 0; start < order.length;) {
    const probability = probabilities[order[start] as number] as number;
    let end = start;
    while (end < order.length && probabilities[order[end] as number] === probability) truePositives += labels[order[end++] as number] as number;
    const precision = truePositives / end;
    // A level starts at a whole percent of at least 1 %: the card shows whole percents, and a
    // customer shown as "< 1 %" is never warned.
    if (end >= minFlagged && precision >= target && shownPercent(probability) >= 1) {
      found = { probability: thresholdPercent(probability) / 100, precision, recall: truePositives / positives, flaggedShare: end / order.length };
    }
    start = end;
  }
  return found;
}

export function chooseWarningThresholds(probabilities: Float64Array, labels: Uint8Array, targets: PrecisionTargets): WarningThresholds {
  const minFlagged = Math.max(5, Math.ceil(labels.length * 0.005));
  const red = lowestThresholdReaching(probabilities, labels, targets.red, minFlagged);
  const orangeFound = lowestThresholdReaching(probabilities, labels, targets.orange, minFlagged);
  const yellowFound = lowestThresholdReaching(probabilities, labels, targets.yellow, minFlagged);
  // A stricter level never starts below a looser one.
  const orange = orangeFound && red && orangeFound.probability > red.probability ? red : orangeFound;
  const yellow = yellowFound && orange && yellowFound.probability > orange.probability ? orange : yellowFound;
  return { targets, minFlagged, red, orange, yellow };
}

/** The whole percent a level starts at: the threshold rounded up (so it never flags below its target), at least 1. */
export function thresholdPercent(probability: number): number {
  return Math.max(1, Math.ceil(Number((probability * 100).toFixed(6))));
}

/** The whole percent from which a customer is warned at all (the lowest level's start), or null when no level is ever given. */
export function warnedFromPercent(thresholds: WarningThresholds): number | null {
  const starts = [thresholds.red, thresholds.orange, thresholds.yellow].flatMap((level) => (level === null ? [] : [thresholdPercent(level.probability)]));
  return starts.length === 0 ? null : Math.min(...starts);
}

/**
 * The level of a probability as the card shows it (whole percent, "< 1 %" below one): the
 * level follows from the displayed figure and the published thresholds, whatever the decimals.
 */
export function warningLevelFor(thresholds: WarningThresholds, probability: number): WarningLevel {
  const shown = shownPercent(probability);
  const reaches = (level: LevelThreshold | null) => level !== null && shown >= thresholdPercent(level.probability);
  if (reaches(thresholds.red)) return 'red';
  if (reaches(thresholds.orange)) return 'orange';
  if (reaches(thresholds.yellow)) return 'yellow';
  return 'none';
}
