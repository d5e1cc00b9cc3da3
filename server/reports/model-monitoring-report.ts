// The report on the models in production (GET /reports/models): the champion and challenger, the
// champion's predictions measured on realised churn month by month (AUC, top-decile lift, Brier,
// calibration by decile), feature drift between its training data and today's book, and the shadow
// challenger's realised AUC against the champion's on the same customers. The drift is the one
// stored when the book was last scored, with the time it was measured. A prediction made on day
// d counts as right about a leaver when the customer's churn date falls in (d, d + horizon]. The
// warning levels' realised precision reads each kept score with its own model's thresholds, as the
// card did, against the champion's training targets.
import { CHURN_HORIZON_DAYS } from '../../shared/analytics/churn-history';
import { DEFAULT_DRIFT_THRESHOLD, isDrifted } from '../../shared/analytics/monitoring/population-stability';
import { compareShadow, MIN_REALISED_CHURNERS, performanceByMonth } from '../../shared/analytics/monitoring/realised-performance';
import { keptModelId } from '../../shared/analytics/monitoring/kept-model-id';
import { warningPrecisionByMonth } from '../../shared/analytics/monitoring/warning-precision';
import { warningLevelFor } from '../../shared/analytics/models/warning-thresholds';
import type { ModelMonitoringQuery, ModelMonitoringReport } from '../../shared/contract/model-registry';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import type { SqlClient } from '../db/sql-client';
import { latestBookDrift } from '../models/book-drift';
import { championAndChallenger, thresholdsOfModels } from '../models/model-registry';

/** Months of score dates the report looks back over. */
const MONTHS_SHOWN = 12;

const CHURNED_SQL = `(c.data->>'churnDate') IS NOT NULL AND (c.data->>'churnDate')::date > p.scored_on AND (c.data->>'churnDate')::date <= p.scored_on + $1::int`;

const CHAMPION_OUTCOMES = `SELECT to_char(p.scored_on, 'YYYY-MM-DD') AS scored_on, p.model_id, p.probability, ${CHURNED_SQL} AS churned
  FROM model_predictions p JOIN customers c ON c.id = p.customer_id AND NOT c.deleted
 WHERE p.role = 'champion' AND p.scored_on >= $2::date AND p.scored_on < $3::date`;

const SHADOW_PAIRS = `SELECT p.probability AS challenger, ch.probability AS champion, ${CHURNED_SQL} AS churned
  FROM model_predictions p
  JOIN model_predictions ch ON ch.role = 'champion' AND ch.customer_id = p.customer_id AND ch.scored_on = p.scored_on
  JOIN customers c ON c.id = p.customer_id AND NOT c.deleted
 WHERE p.role = 'shadow' AND p.model_id = $2 AND p.scored_on < $3::date`;

export async function modelMonitoringReport(db: SqlClient, query: ModelMonitoringQuery, now: Date): Promise<ModelMonitoringReport> {
  // The horizon the champion's probability speaks of, which its training examples were labelled with.
  const horizon = CHURN_HORIZON_DAYS;
  const threshold = query.driftThreshold ?? DEFAULT_DRIFT_THRESHOLD;
  const today = operatorDateDaysBefore(now);
  const { champion, challenger } = await championAndChallenger(db);

  const outcomes = await db.query<{ scored_on: string; model_id: string; probability: number; churned: boolean }>(CHAMPION_OUTCOMES, [
    horizon,
    operatorDateDaysBefore(now, MONTHS_SHOWN * 31),
    today,
  ]);
  const lastClosedScoreDay = operatorDateDaysBefore(now, horizon);
  const months = performanceByMonth(
    outcomes.map((o) => ({ scoredOn: o.scored_on, probability: o.probability, churned: o.churned })),
    lastClosedScoreDay,
  );
  // Each model version the outcomes name is read once (keptModelId), not once per outcome.
  const versions = [...new Set(outcomes.map((o) => o.model_id))];
  const thresholds = await thresholdsOfModels(db, [...versions.map(keptModelId), ...(champion === null ? [] : [champion.modelId])]);
  const championThresholds = champion === null ? undefined : thresholds.get(champion.modelId);
  const thresholdsOfVersion = new Map(versions.map((version) => [version, thresholds.get(keptModelId(version))]));
  // A score by a model no longer registered has no thresholds to read its level with: it is left out here only.
  const levelled = outcomes.flatMap((o) => {
    const own = thresholdsOfVersion.get(o.model_id);
    return own === undefined ? [] : [{ scoredOn: o.scored_on, level: warningLevelFor(own, o.probability), churned: o.churned }];
  });
  const warningPrecision = championThresholds === undefined ? [] : warningPrecisionByMonth(levelled, lastClosedScoreDay, championThresholds);

  // Measured when the book was last scored (server/models/book-drift.ts), not here: a request never passes over the book.
  const stored = champion === null ? null : await latestBookDrift(db, champion.modelId);

  const pairs =
    challenger === null ? [] : await db.query<{ champion: number; challenger: number; churned: boolean }>(SHADOW_PAIRS, [horizon, challenger.modelId, today]);
  return {
    generatedAt: now.toISOString(),
    horizonDays: horizon,
    minimumChurned: MIN_REALISED_CHURNERS,
    driftThreshold: threshold,
    champion,
    challenger,
    months,
    warningPrecision,
    driftComputedAt: stored?.computedAt ?? null,
    driftCustomers: stored?.customers ?? 0,
    drift: (stored?.psi ?? []).map(({ feature, psi }) => ({ feature, psi, flagged: isDrifted(psi, threshold) })),
    shadow: challenger === null ? null : { modelId: challenger.modelId, ...compareShadow(pairs) },
  };
}
