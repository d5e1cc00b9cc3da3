// How a model's predictions held up once churn was realised: per month of the score date, AUC,
// top-decile lift, Brier score and calibration by decile over the customers scored that month,
// and a challenger's shadow predictions against the champion's on the same customers. A month
// with too few leavers (or stayers) says so instead of showing a number that means nothing.
import { brierScore, rocAuc, topDecileLift } from '../metrics';
import { calibrationByDecile, type CalibrationDecile } from './calibration';
import { byScoreMonth, windowClosed } from './score-months';

/** Below this many leavers (or stayers) a month's AUC and lift are not shown. */
export const MIN_REALISED_CHURNERS = 20;

export interface RealisedOutcome {
  /** YYYY-MM-DD: the day the prediction was made. */
  scoredOn: string;
  probability: number;
  /** The customer left within the horizon after scoredOn. */
  churned: boolean;
}

export interface MonthPerformance {
  month: string;
  customers: number;
  churned: number;
  /** Every prediction of the month is past its horizon: the churn counted is final. */
  windowClosed: boolean;
  enough: boolean;
  auc: number | null;
  topDecileLift: number | null;
  brier: number | null;
  calibration: CalibrationDecile[];
}

/** A realised AUC this far below the AUC at training says the model learnt something the book does not bear out. */
export const REALISED_AUC_SHORTFALL = 0.1;

/**
 * Whether a final month's realised performance falls well short of the model's training metrics:
 * AUC more than REALISED_AUC_SHORTFALL below, or a top decile holding no more leavers than the
 * month as a whole. Open or unmeasured months say nothing.
 */
export function fallsShortOfTraining(trainingAuc: number, month: Pick<MonthPerformance, 'enough' | 'windowClosed' | 'auc' | 'topDecileLift'>): boolean {
  if (!month.enough || !month.windowClosed || month.auc === null) return false;
  return trainingAuc - month.auc > REALISED_AUC_SHORTFALL || (month.topDecileLift !== null && month.topDecileLift < 1);
}

const labelsOf = (rows: readonly { churned: boolean }[]) => Uint8Array.from(rows, (r) => (r.churned ? 1 : 0));

export function hasEnoughChurn(customers: number, churned: number, minimum: number = MIN_REALISED_CHURNERS): boolean {
  return churned >= minimum && customers - churned >= minimum;
}

/**
 * One entry per month of scoredOn, oldest first. `lastClosedScoreDay` is the last score day whose
 * horizon has ended (today minus the horizon).
 */
export function performanceByMonth(
  outcomes: readonly RealisedOutcome[],
  lastClosedScoreDay: string,
  minimum: number = MIN_REALISED_CHURNERS,
): MonthPerformance[] {
  return byScoreMonth(outcomes).map(([month, rows]) => {
    const scores = rows.map((r) => r.probability);
    const labels = labelsOf(rows);
    const churned = labels.reduce((sum, l) => sum + l, 0);
    const enough = hasEnoughChurn(rows.length, churned, minimum);
    return {
      month,
      customers: rows.length,
      churned,
      windowClosed: windowClosed(rows, lastClosedScoreDay),
      enough,
      auc: enough ? rocAuc(scores, labels) : null,
      topDecileLift: enough ? topDecileLift(scores, labels) : null,
      brier: enough ? brierScore(scores, labels) : null,
      calibration: enough
        ? calibrationByDecile(
            scores,
            rows.map((r) => r.churned),
          )
        : [],
    };
  });
}

export interface PairedPrediction {
  champion: number;
  challenger: number;
  churned: boolean;
}

export interface ShadowComparison {
  customers: number;
  churned: number;
  enough: boolean;
  championAuc: number | null;
  challengerAuc: number | null;
}

/** The challenger's realised AUC and the champion's on the very customers the challenger scored. */
export function compareShadow(pairs: readonly PairedPrediction[], minimum: number = MIN_REALISED_CHURNERS): ShadowComparison {
  const labels = labelsOf(pairs);
  const churned = labels.reduce((sum, l) => sum + l, 0);
  const enough = hasEnoughChurn(pairs.length, churned, minimum);
  return {
    customers: pairs.length,
    churned,
    enough,
    championAuc: enough
      ? rocAuc(
          pairs.map((p) => p.champion),
          labels,
        )
      : null,
    challengerAuc: enough
      ? rocAuc(
          pairs.map((p) => p.challenger),
          labels,
        )
      : null,
  };
}
