// GET /reports/retention: KPIs, daily trend, uplift and experiments of a period, all counted in SQL, and
// the retention programmes' effect measured against their control groups (programme-report.ts).
import { MODEL_VERSION_SEPARATOR } from '../../shared/analytics/assess-customer';
import { warnedFromPercent } from '../../shared/analytics/models/warning-thresholds';
import { SAVE_RATE_MIN_DAYS, type RateWithCounts, type RetentionReport, type TrendPoint, type Uplift } from '../../shared/contract/supervisor-reports';
import type { SqlClient } from '../db/sql-client';
import { thresholdsOfModels } from '../models/model-registry';
import { experimentsOfPeriod } from './experiments';
import { offerNames } from './offer-names';
import { programmeEffects } from './programme-report';
import type { ReportPeriod } from './report-period';
import { WARNED_LEVELS_SQL, scopedOutcomeParams } from './scoped-outcomes';

// Contacts, presentations and warned customers come from the daily summaries the outcomes table
// keeps as rows are inserted (migration 0016: outcome_daily_totals, outcome_daily_customers), not
// from the outcomes themselves: a period costs a row per day, agent and offer (and per customer
// contacted while warned), however many outcomes it holds. The numbers are the ones counted from the
// outcomes (scoped-outcomes.ts defines them; tests/server/retention-summaries.test.ts compares both).
// Parameters: $1, $2 the period's first and last operator day, $3 the team (null = every team),
// $4 the expected months kept. The team is the agent's as the report is read.
const TEAM_ROWS = (table: string) => `SELECT t.* FROM ${table} t LEFT JOIN users u ON u.id = t.agent_id
  WHERE t.day >= $1::date AND t.day <= $2::date AND ($3::text IS NULL OR u.team = $3::text)`;
const SCOPED_TOTALS = TEAM_ROWS('outcome_daily_totals');
/** Each customer contacted while warned in the period, with the first such contact. */
const WARNED_CUSTOMERS = `SELECT customer_id, min(first_warned_at) AS first_warned_at
  FROM (${TEAM_ROWS('outcome_daily_customers')}) c WHERE c.first_warned_at IS NOT NULL GROUP BY customer_id`;

// $5: the report's "now". A warned customer counts for the save rate once their first warned
// contact of the period is SAVE_RATE_MIN_DAYS old; saved = still active today.
const TOTALS_SQL = `WITH warned AS (${WARNED_CUSTOMERS}),
  totals AS (
    SELECT coalesce(sum(t.contacts), 0)::bigint AS contacts,
      coalesce(sum(t.presented), 0)::bigint AS presented,
      coalesce(sum(t.accepted), 0)::bigint AS accepted,
      coalesce(sum(t.declined), 0)::bigint AS declined,
      (coalesce(sum(t.accepted_arpu3m) FILTER (WHERE offer.kind IN ('retention', 'winback')), 0) * $4::double precision)::double precision AS retained_revenue
    FROM (${SCOPED_TOTALS}) t
    LEFT JOIN (SELECT id, data->>'kind' AS kind FROM offers) offer ON offer.id = t.offer_id),
  fates AS (
    SELECT count(*) AS fate_known, count(*) FILTER (WHERE c.status = 'active') AS still_active
    FROM warned w LEFT JOIN customers c ON c.id = w.customer_id
    WHERE w.first_warned_at <= $5::timestamptz - interval '${SAVE_RATE_MIN_DAYS} days')
  SELECT totals.*, (SELECT count(*) FROM warned) AS at_risk_contacted, fates.* FROM totals, fates`;

// Days without contacts are points of zeros.
const TREND_SQL = `SELECT to_char(series.day, 'YYYY-MM-DD') AS date,
    coalesce(t.contacts, 0)::bigint AS contacts, coalesce(t.presented, 0)::bigint AS presented,
    coalesce(t.accepted, 0)::bigint AS accepted, coalesce(w.warned, 0)::bigint AS "atRiskContacted"
  FROM generate_series($1::date, $2::date, interval '1 day') AS series (day)
  LEFT JOIN (SELECT day, sum(contacts) AS contacts, sum(presented) AS presented, sum(accepted) AS accepted
             FROM (${SCOPED_TOTALS}) s GROUP BY day) t ON t.day = series.day::date
  LEFT JOIN (SELECT day, count(DISTINCT customer_id) AS warned
             FROM (${TEAM_ROWS('outcome_daily_customers')}) c WHERE c.first_warned_at IS NOT NULL GROUP BY day) w ON w.day = series.day::date
  ORDER BY series.day`;

/** The whole percent the card shows for a probability, as shownPercent (shared/domain/probability.ts) computes it. */
export const SHOWN_PERCENT_SQL = (probability: string) =>
  `CASE WHEN round(${probability}::numeric, 3) < 0.01 THEN 0 ELSE round(round(${probability}::numeric, 3) * 100) END`;

// Warned customers still customers at the period's start ($1, first day). Contacted = contacted by the
// scoped team in the period while warned, by the warning the card showed at that contact (the outcome's
// context), not by today's score, which the contact itself may have lowered. Not contacted = contacted
// by nobody in the period and warned before it: by the champion's prediction kept for the latest day
// on or before its start (model_predictions, `clm model shadow`; its model as keptModelId reads it), warned when the percent the card
// showed reaches the lowest level of that model's thresholds (shownPercent, warnedFromPercent); a customer with no kept prediction (or one of a
// model no longer registered), by the current score. Today's score alone would leave out every leaver: a churned customer is re-assessed
// with no warning, so that group's churn would read 0 %. The book is not split by team, so the
// not-contacted group is the whole book's. Each customer's kept prediction is one backward step of
// model_predictions_champion_by_customer (migration 0025).
// $4: each registered model's warnedFromPercent, {modelId: percent or null}; $5: MODEL_VERSION_SEPARATOR.
const UPLIFT_SQL = `WITH still_customer AS (
    SELECT c.id, c.status = 'churned' AND c.data->>'churnDate' >= to_char($1::date, 'YYYY-MM-DD') AS churned
    FROM customers c WHERE NOT c.deleted AND (c.status = 'active' OR c.data->>'churnDate' >= to_char($1::date, 'YYYY-MM-DD'))),
  contacted AS (
    SELECT k.churned FROM still_customer k WHERE k.id IN (SELECT customer_id FROM (${WARNED_CUSTOMERS}) w)),
  warned_before AS (
    SELECT k.id, k.churned, coalesce(kept.warned, sc.warning_level IN ${WARNED_LEVELS_SQL}) AS warned
    FROM still_customer k
    LEFT JOIN scores sc ON sc.customer_id = k.id AND NOT sc.deleted
    LEFT JOIN LATERAL (
      SELECT CASE WHEN warned_from IS NOT NULL THEN coalesce(shown >= (warned_from #>> '{}')::int, false) END AS warned
      FROM (SELECT ${SHOWN_PERCENT_SQL('p.probability')} AS shown, $4::jsonb -> split_part(p.model_id, $5::text, 1) AS warned_from
            FROM model_predictions p
            WHERE p.role = 'champion' AND p.customer_id = k.id AND p.scored_on <= $1::date
            ORDER BY p.scored_on DESC LIMIT 1) latest) kept ON true),
  not_contacted AS (
    SELECT k.churned FROM warned_before k
    WHERE k.warned AND NOT EXISTS (SELECT 1 FROM outcome_daily_customers d WHERE d.customer_id = k.id AND d.day >= $1::date AND d.day <= $2::date))
  SELECT (SELECT count(*) FROM contacted) AS contacted,
    (SELECT count(*) FILTER (WHERE churned) FROM contacted) AS contacted_churned,
    (SELECT count(*) FROM not_contacted) AS not_contacted,
    (SELECT count(*) FILTER (WHERE churned) FROM not_contacted) AS not_contacted_churned`;

// Calls answered in the period by the scoped team: first answered → last ended event of the call.
const HANDLE_TIME_SQL = `SELECT avg(extract(epoch FROM ended.at - answered.at))::double precision AS average_handle_seconds
  FROM (SELECT c.call_id, min(c.received_at) AS at FROM cti_calls c LEFT JOIN users u ON u.id = c.agent_id
        WHERE c.event = 'answered' AND c.received_at >= $1::timestamptz AND c.received_at < $2::timestamptz
          AND ($3::text IS NULL OR u.team = $3::text)
        GROUP BY c.call_id) answered
  CROSS JOIN LATERAL (SELECT max(e.received_at) AS at FROM cti_calls e WHERE e.call_id = answered.call_id AND e.event = 'ended') ended
  WHERE ended.at >= answered.at`;

interface TotalsRow {
  contacts: number;
  presented: number;
  accepted: number;
  declined: number;
  at_risk_contacted: number;
  retained_revenue: number;
  fate_known: number;
  still_active: number;
}

interface UpliftRow {
  contacted: number;
  contacted_churned: number;
  not_contacted: number;
  not_contacted_churned: number;
}

export function rateOf(numerator: number, denominator: number): RateWithCounts {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

function upliftOf(row: UpliftRow): Uplift {
  const contacted = { customers: row.contacted, churned: row.contacted_churned, churnRate: rateOf(row.contacted_churned, row.contacted).rate };
  const notContacted = {
    customers: row.not_contacted,
    churned: row.not_contacted_churned,
    churnRate: rateOf(row.not_contacted_churned, row.not_contacted).rate,
  };
  const uplift = contacted.churnRate === null || notContacted.churnRate === null ? null : notContacted.churnRate - contacted.churnRate;
  return { contacted, notContacted, uplift };
}

/** Each registered model's warnedFromPercent: a kept score by a model not in it is read by the current score instead. */
async function warnedFromPercents(db: SqlClient): Promise<Record<string, number | null>> {
  const thresholds = await thresholdsOfModels(db, 'every model');
  return Object.fromEntries([...thresholds].map(([modelId, t]) => [modelId, warnedFromPercent(t)]));
}

export interface RetentionReportRequest {
  period: ReportPeriod;
  team: string | null;
  expectedMonthsKept: number;
  now: Date;
}

export async function retentionReport(db: SqlClient, request: RetentionReportRequest): Promise<RetentionReport> {
  const { period, team, expectedMonthsKept, now } = request;
  const days = [period.from, period.to, team];
  const [totals] = await db.query<TotalsRow>(TOTALS_SQL, [...days, expectedMonthsKept, now.toISOString()]);
  const trend = await db.query<TrendPoint>(TREND_SQL, days);
  const [upliftRow] = await db.query<UpliftRow>(UPLIFT_SQL, [...days, JSON.stringify(await warnedFromPercents(db)), MODEL_VERSION_SEPARATOR]);
  const [handle] = await db.query<{ average_handle_seconds: number | null }>(
    HANDLE_TIME_SQL,
    scopedOutcomeParams(period, team, expectedMonthsKept).slice(0, 3),
  );
  if (totals === undefined || upliftRow === undefined || handle === undefined) throw new Error('report aggregate returned no row');

  return {
    query: { from: period.from, to: period.to, team },
    generatedAt: now.toISOString(),
    kpis: {
      atRiskContacted: totals.at_risk_contacted,
      saveRate: rateOf(totals.still_active, totals.fate_known),
      presentationRate: rateOf(totals.presented, totals.contacts),
      acceptanceRate: rateOf(totals.accepted, totals.accepted + totals.declined),
      retainedRevenue: totals.retained_revenue,
      expectedMonthsKept,
      averageHandleSeconds: handle.average_handle_seconds,
      contacts: totals.contacts,
    },
    trend,
    uplift: upliftOf(upliftRow),
    experiments: await experimentsOfPeriod(db, request),
    programmes: await programmeEffects(db, now, expectedMonthsKept),
    offerNames: await offerNames(db),
  };
}
