// Warning levels (预警级别) from calibrated probability: each level's threshold is the lowest
// probability at which the customers flagged at or above it churned with the target precision
// on validation data, so "red" means e.g. "at least 7 in 10 of these leave".
import { z } from 'zod';
import type { WarningLevel } from '../../contract/entities';

export const PrecisionTargets = z
  .object({ red: z.number().gt(0).max(1), orange: z.number().gt(0).max(1), yellow: z.number().gt(0).max(1) })
  .refine((t) => t.red >= t.orange && t.orange >= t.yellow, 'precision targets must satisfy red ≥ orange ≥ yellow');
export type PrecisionTargets = z.infer<typeof PrecisionTargets>;

export const DEFAULT_PRECISION_TARGETS: PrecisionTargets = { red: 0.7, orange: 0.5, yellow: 0.3 };

const LevelThreshold = z.object({
  /** Probability at or above which the level applies. */
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
  for (let start = 0; start < order.length; ) {
    const probability = probabilities[order[start] as number] as number;
    let end = start;
    while (end < order.length && probabilities[order[end] as number] === probability) truePositives += labels[order[end++] as number] as number;
    const precision = truePositives / end;
    if (end >= minFlagged && precision >= target) {
      found = { probability, precision, recall: truePositives / positives, flaggedShare: end / order.length };
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

export function warningLevelFor(thresholds: WarningThresholds, probability: number): WarningLevel {
  if (thresholds.red && probability >= thresholds.red.probability) return 'red';
  if (thresholds.orange && probability >= thresholds.orange.probability) return 'orange';
  if (thresholds.yellow && probability >= thresholds.yellow.probability) return 'yellow';
  return 'none';
}
