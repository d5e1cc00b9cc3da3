// How the warning levels held up on realised churn: for each final month of kept champion scores,
// the share of customers at each level who then left (the level's realised precision) and the share
// of the month's leavers warned at that level or above (its recall), next to the precision the
// level's threshold was chosen for at training. A level's training target is measured at or above
// it (shared/analytics/models/warning-thresholds.ts) and on training examples, not on customers
// scored on an ordinary day, so a supervisor needs the realised figure before reading "red" as
// "7 in 10 of these leave".
import { z } from 'zod';
import type { WarningLevel } from '../../contract/entities';
import { WARNED_LEVELS } from '../../contract/supervisor-reports';
import type { WarningThresholds } from '../models/warning-thresholds';
import { shareOrNull, wilsonInterval } from '../programme-effect';
import { byScoreMonth, windowClosed } from './score-months';

/**
 * A level's realised precision is far below its target when even the upper end of its 95 % interval
 * lies more than this below the target: not a bad month of a few customers, but a level that does
 * not mean what its name was set for.
 */
export const REALISED_PRECISION_SHORTFALL = 0.2;

export const LevelPrecision = z.object({
  level: z.enum(WARNED_LEVELS),
  /** The precision the level's threshold was chosen to reach at training (at or above the level). */
  target: z.number().min(0).max(1),
  /** What it reached on the training examples; null when the level was never given. */
  trainingPrecision: z.number().min(0).max(1).nullable(),
  /** Customers scored at exactly this level in the month, and how many of them left in the window. */
  customers: z.number().int().nonnegative(),
  churned: z.number().int().nonnegative(),
  /** churned / customers; null with no customer at the level. */
  precision: z.number().min(0).max(1).nullable(),
  /** The same at this level or above, as the target is measured. */
  customersAtOrAbove: z.number().int().nonnegative(),
  churnedAtOrAbove: z.number().int().nonnegative(),
  precisionAtOrAbove: z.number().min(0).max(1).nullable(),
  /** Of the month's leavers, the share warned at this level or above; null with no leaver. */
  recall: z.number().min(0).max(1).nullable(),
  farBelowTarget: z.boolean(),
});
export type LevelPrecision = z.infer<typeof LevelPrecision>;

export const MonthWarningPrecision = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  customers: z.number().int().nonnegative(),
  churned: z.number().int().nonnegative(),
  levels: z.array(LevelPrecision),
  /** Customers at no warning level and how many of them left: the rate the levels are to stand out from. */
  unwarnedCustomers: z.number().int().nonnegative(),
  unwarnedChurned: z.number().int().nonnegative(),
});
export type MonthWarningPrecision = z.infer<typeof MonthWarningPrecision>;

export interface LevelledOutcome {
  /** YYYY-MM-DD: the day of the score. */
  scoredOn: string;
  /** The level the score gave, read with its own model's thresholds as the card reads it. */
  level: WarningLevel;
  /** The customer left within the horizon after scoredOn. */
  churned: boolean;
}

/** Whether the upper end of the 95 % interval of churned / customers lies more than the shortfall below target. */
export function precisionFarBelowTarget(churned: number, customers: number, target: number): boolean {
  if (customers === 0) return false;
  return wilsonInterval(churned, customers)[1] < target - REALISED_PRECISION_SHORTFALL;
}

function monthPrecision(month: string, rows: readonly LevelledOutcome[], thresholds: WarningThresholds): MonthWarningPrecision {
  const churned = rows.filter((r) => r.churned).length;
  let customersAtOrAbove = 0;
  let churnedAtOrAbove = 0;
  const levels = WARNED_LEVELS.map((level): LevelPrecision => {
    const atLevel = rows.filter((r) => r.level === level);
    const churnedAtLevel = atLevel.filter((r) => r.churned).length;
    // Levels run red → yellow, so the running totals are "this level or above".
    customersAtOrAbove += atLevel.length;
    churnedAtOrAbove += churnedAtLevel;
    const target = thresholds.targets[level];
    return {
      level,
      target,
      trainingPrecision: thresholds[level]?.precision ?? null,
      customers: atLevel.length,
      churned: churnedAtLevel,
      precision: shareOrNull(churnedAtLevel, atLevel.length),
      customersAtOrAbove,
      churnedAtOrAbove,
      precisionAtOrAbove: shareOrNull(churnedAtOrAbove, customersAtOrAbove),
      recall: shareOrNull(churnedAtOrAbove, churned),
      farBelowTarget: precisionFarBelowTarget(churnedAtOrAbove, customersAtOrAbove, target),
    };
  });
  return { month, customers: rows.length, churned, levels, unwarnedCustomers: rows.length - customersAtOrAbove, unwarnedChurned: churned - churnedAtOrAbove };
}

/**
 * One entry per final month of scoredOn (every score past its horizon, `lastClosedScoreDay`), oldest
 * first; an open month's precision would only grow, so it is left out. Targets are those of
 * `thresholds`, the champion's.
 */
export function warningPrecisionByMonth(
  outcomes: readonly LevelledOutcome[],
  lastClosedScoreDay: string,
  thresholds: WarningThresholds,
): MonthWarningPrecision[] {
  return byScoreMonth(outcomes)
    .filter(([, rows]) => windowClosed(rows, lastClosedScoreDay))
    .map(([month, rows]) => monthPrecision(month, rows, thresholds));
}
