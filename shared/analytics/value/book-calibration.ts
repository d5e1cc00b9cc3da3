// Cut points fitted on the whole book (RFM quintiles, CLV tier thresholds). Scoring a customer
// needs them, so a batch run fits them once and publishes them with the scores; a desk that
// re-scores one customer uses the published cuts.
import { z } from 'zod';
import type { ValueTier } from '../../contract/entities';
import type { ValueConfig } from './value-config';

const Cuts = z.array(z.number()).length(4);
export const BookCalibration = z.object({
  valueConfigVersion: z.string(),
  fittedOn: z.number().int().nonnegative(),
  recencyCuts: Cuts,
  frequencyCuts: Cuts,
  monetaryCuts: Cuts,
  /** CLV at or above which a customer is platinum, gold, silver. */
  tierThresholds: z.object({ platinum: z.number(), gold: z.number(), silver: z.number() }),
});
export type BookCalibration = z.infer<typeof BookCalibration>;

export interface ValueInputs {
  monthsSinceLastUse: number;
  monthlyActivity: number;
  arpu12m: number;
  clv: number;
}

/** The value below which `share` of the sorted values lie (nearest rank). */
function quantile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** The smallest value among the top `share` of the sorted values. */
function topShareThreshold(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, sorted.length - Math.round(share * sorted.length)));
  return sorted[index] ?? 0;
}

function sortedOf(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

const quintileCuts = (sorted: Float64Array) => [0.2, 0.4, 0.6, 0.8].map((share) => quantile(sorted, share));

export function fitBookCalibration(book: readonly ValueInputs[], config: ValueConfig): BookCalibration {
  const clv = sortedOf(book.map((c) => c.clv));
  const { platinum, gold, silver } = config.tierShares;
  return {
    valueConfigVersion: config.version,
    fittedOn: book.length,
    recencyCuts: quintileCuts(sortedOf(book.map((c) => c.monthsSinceLastUse))),
    frequencyCuts: quintileCuts(sortedOf(book.map((c) => c.monthlyActivity))),
    monetaryCuts: quintileCuts(sortedOf(book.map((c) => c.arpu12m))),
    tierThresholds: {
      platinum: topShareThreshold(clv, platinum),
      gold: topShareThreshold(clv, platinum + gold),
      silver: topShareThreshold(clv, platinum + gold + silver),
    },
  };
}

/** 1 (lowest fifth) to 5 (highest fifth). */
export function quintileScore(value: number, cuts: readonly number[]): number {
  let score = 1;
  for (const cut of cuts) if (value > cut) score += 1;
  return score;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

export function rfmScore(inputs: ValueInputs, calibration: BookCalibration): RfmScore {
  return {
    // Recency: fewer months since last use is better, so the scale is turned round.
    r: 6 - quintileScore(inputs.monthsSinceLastUse, calibration.recencyCuts),
    f: quintileScore(inputs.monthlyActivity, calibration.frequencyCuts),
    m: quintileScore(inputs.arpu12m, calibration.monetaryCuts),
  };
}

export function valueTierFor(clv: number, calibration: BookCalibration): ValueTier {
  const t = calibration.tierThresholds;
  if (clv > 0 && clv >= t.platinum) return 'platinum';
  if (clv > 0 && clv >= t.gold) return 'gold';
  if (clv > 0 && clv >= t.silver) return 'silver';
  return 'bronze';
}
