// Champion / challenger results of the report's period and team: each arm's presentations and
// acceptances are counted from the same outcomes as the outcome table (accepted + declined =
// presented), so grouping that table by offer gives the same counts. The posterior adds the
// offer's prior; the desks' learned counts (offer_stats, every team, all time) are not used here.
import type { OfferStats } from '../../shared/contract/entities';
import type { ExperimentResult } from '../../shared/contract/supervisor-reports';
import { experimentResults, type ExperimentOffer } from '../../shared/offers/experiment-results';
import type { SqlClient } from '../db/sql-client';
import type { ReportPeriod } from './report-period';
import { SCOPED_OUTCOMES_SQL, scopedOutcomeParams } from './scoped-outcomes';

const EXPERIMENT_ARMS_SQL = `WITH scoped AS (SELECT offer_id, result FROM (${SCOPED_OUTCOMES_SQL}) s)
  SELECT o.id, o.data->'priorAcceptance' AS prior, o.data->'experiment' AS experiment,
    count(s.offer_id) FILTER (WHERE s.result IN ('accepted', 'declined'))::int AS presented,
    count(s.offer_id) FILTER (WHERE s.result = 'accepted')::int AS accepted
  FROM offers o LEFT JOIN scoped s ON s.offer_id = o.id
  WHERE NOT o.deleted AND jsonb_typeof(o.data->'experiment') = 'object'
  GROUP BY o.id`;

interface ExperimentArmRow {
  id: string;
  prior: ExperimentOffer['priorAcceptance'];
  experiment: ExperimentOffer['experiment'];
  presented: number;
  accepted: number;
}

export interface ExperimentsRequest {
  period: ReportPeriod;
  team: string | null;
  expectedMonthsKept: number;
  now: Date;
}

export async function experimentsOfPeriod(db: SqlClient, request: ExperimentsRequest): Promise<ExperimentResult[]> {
  const { period, team, expectedMonthsKept, now } = request;
  const rows = await db.query<ExperimentArmRow>(EXPERIMENT_ARMS_SQL, scopedOutcomeParams(period, team, expectedMonthsKept));
  const offers = rows.map((r) => ({ id: r.id, priorAcceptance: r.prior, experiment: r.experiment }));
  // The period's counts in the shape of learned stats: one segment, the whole period.
  const countsByOfferId = new Map(
    rows.map((r): [string, OfferStats] => [
      r.id,
      { offerId: r.id, version: 1, segments: { period: { presented: r.presented, accepted: r.accepted } }, updatedAt: now.toISOString() },
    ]),
  );
  return experimentResults(offers, countsByOfferId);
}
