// `clm model shadow`: keeps the day's predictions for measuring them once churn is realised.
// - the champion's: every active customer's churn probability as the card shows it (the scores
//   table), under the id of the model that scored it;
// - a challenger's, in shadow: for a deterministic share of the active book (a hash of customer and
//   model id), scored here and stored only in model_predictions, so no card ever shows it.
// Run it after each `clm score`; a second run on the same day adds nothing. It also stores the
// champion's feature drift of the day (book-drift.ts) unless that day's drift is stored already.
import { estimateChurn, withSignals } from '../../shared/analytics/score-book';
import { inShadowShare } from '../../shared/analytics/monitoring/shadow-share';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import type { SqlClient } from '../db/sql-client';
import { customerPages, SCORING_PAGE_SIZE } from '../scoring/rescore-book';
import { measureChampionDrift } from './book-drift';
import { readModelVersion } from './model-registry';

export const DEFAULT_SHADOW_SHARE = 0.1;

export interface RecordPredictions {
  now: Date;
  /** The challenger to score in shadow, or null for the champion's predictions only. */
  challengerId: string | null;
  share: number;
}

export interface RecordedPredictions {
  scoredOn: string;
  champion: number;
  shadow: number;
  /** Active customers the champion's feature drift was measured on (0: no champion). */
  driftMeasuredOn: number;
}

const RECORD_CHAMPION = `INSERT INTO model_predictions (model_id, customer_id, scored_on, role, probability)
  SELECT s.data->>'modelVersion', s.customer_id, $1::date, 'champion', s.churn_probability
    FROM scores s JOIN customers c ON c.id = s.customer_id
   WHERE NOT s.deleted AND NOT c.deleted AND c.data->>'status' = 'active' AND s.churn_probability IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING 1`;

const RECORD_SHADOW = `INSERT INTO model_predictions (model_id, customer_id, scored_on, role, probability)
  SELECT $1, customer_id, $2::date, 'shadow', probability FROM unnest($3::text[], $4::float8[]) AS p (customer_id, probability)
  ON CONFLICT DO NOTHING
  RETURNING 1`;

/** Keeps the champion's prediction of each active customer for the day, as the scores table holds it; returns how many were new. */
export async function keepChampionPredictions(db: SqlClient, scoredOn: string): Promise<number> {
  return (await db.query(RECORD_CHAMPION, [scoredOn])).length;
}

export async function recordPredictions(db: SqlClient, { now, challengerId, share }: RecordPredictions): Promise<RecordedPredictions> {
  const scoredOn = operatorDateDaysBefore(now);
  const challenger = challengerId === null ? null : (await readModelVersion(db, challengerId)).artifact;
  const champion = await keepChampionPredictions(db, scoredOn);
  let shadow = 0;
  if (challenger !== null) {
    for await (const page of customerPages(db, SCORING_PAGE_SIZE, { activeOnly: true })) {
      const drawn = page.filter((customer) => inShadowShare(customer.id, challenger.modelId, share));
      if (drawn.length === 0) continue;
      const estimates = estimateChurn(challenger, withSignals(drawn, now), false);
      const inserted = await db.query(RECORD_SHADOW, [challenger.modelId, scoredOn, drawn.map((c) => c.id), estimates.map((e) => e.probability)]);
      shadow += inserted.length;
    }
  }
  // The champion's drift is measured here too, so a book scored by other means (an import, a promotion) is watched;
  // after the day's `clm score` it is already measured.
  const drift = await measureChampionDrift(db, now, { oncePerDay: true });
  return { scoredOn, champion, shadow, driftMeasuredOn: drift?.customers ?? 0 };
}
