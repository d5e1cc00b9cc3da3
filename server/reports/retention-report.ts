// GET /reports/retention: KPIs, daily trend, uplift and experiments of a period, all counted in SQL, and
// the retention programmes' effect measured against their control groups (programme-report.ts).
import { SAVE_RATE_MIN_DAYS, type RateWithCounts, type RetentionReport, type TrendPoint, type Uplift } from '../../shared/contract/supervisor-reports';
import type { SqlClient } from '../db/sql-client';
import { experimentsOfPeriod } from './experiments';
import { offerNames } from './offer-names';
import { programmeEffects } from './programme-report';
import { operatorDaySql, type ReportPeriod } from './report-period';
import { SCOPED_OUTCOMES_SQL, WARNED_LEVELS_SQL, scopedOutcomeParams } from './scoped-outcomes';

// $5: the report's "now". A warned customer counts for the save rate once their first warned
// contact of the period is SAVE_RATE_MIN_DAYS old; saved = still active today.
// `scoped` is read twice, so PostgreSQL materializes it: it names only the columns used, so the
// payload fields nobody reads here are not extracted for every outcome (half the query's time).
const TOTALS_SQL = `WITH scoped AS (SELECT customer_id, recorded_at, result, presented, warned, retained_revenue FROM (${SCOPED_OUTCOMES_SQL}) s),
  totals AS (
    SELECT count(*) AS contacts,
      count(*) FILTER (WHERE presented) AS presented,
      count(*) FILTER (WHERE result = 'accepted') AS accepted,
      count(*) FILTER (WHERE result = 'declined') AS declined,
      count(DISTINCT customer_id) FILTER (WHERE warned) AS at_risk_contacted,
      coalesce(sum(retained_revenue), 0)::double precision AS retained_revenue
    FROM scoped),
  fates AS (
    SELECT count(*) AS fate_known, count(*) FILTER (WHERE c.status = 'active') AS still_active
    FROM (SELECT customer_id FROM scoped WHERE warned AND customer_id IS NOT NULL GROUP BY customer_id
          HAVING min(recorded_at) <= $5::timestamptz - interval '${SAVE_RATE_MIN_DAYS} days') w
    LEFT JOIN customers c ON c.id = w.customer_id)
  SELECT * FROM totals, fates`;

// $5, $6: the period's first and last day; days without contacts are points of zeros.
const TREND_SQL = `WITH scoped AS (${SCOPED_OUTCOMES_SQL})
  SELECT to_char(day, 'YYYY-MM-DD') AS date,
    count(s.outcome_id) AS contacts,
    count(*) FILTER (WHERE s.presented) AS presented,
    count(*) FILTER (WHERE s.result = 'accepted') AS accepted,
    count(DISTINCT s.customer_id) FILTER (WHERE s.warned) AS "atRiskContacted"
  FROM generate_series($5::date, $6::date, interval '1 day') AS day
  LEFT JOIN scoped s ON ${operatorDaySql('s.recorded_at')} = day::date
  GROUP BY day ORDER BY day`;

// Warned customers still customers at the period's start ($5, first day). Contacted = contacted by the
// scoped team in the period while warned, by the warning the card showed at that contact (the outcome's
// context), not by today's score, which the contact itself may have lowered. Not contacted = warned by
// the current score (the book keeps no past scores) and contacted by nobody in the period. The book is
// not split by team, so the not-contacted group is the whole book's.
const UPLIFT_SQL = `WITH scoped AS (${SCOPED_OUTCOMES_SQL}),
  still_customer AS (
    SELECT c.id, c.status = 'churned' AND c.data->>'churnDate' >= $5::text AS churned
    FROM customers c WHERE NOT c.deleted AND (c.status = 'active' OR c.data->>'churnDate' >= $5::text)),
  contacted AS (
    SELECT k.churned FROM still_customer k WHERE k.id IN (SELECT s.customer_id FROM scoped s WHERE s.warned)),
  not_contacted AS (
    SELECT k.churned FROM scores sc JOIN still_customer k ON k.id = sc.customer_id
    WHERE NOT sc.deleted AND sc.warning_level IN ${WARNED_LEVELS_SQL}
      AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.customer_id = k.id AND o.recorded_at >= $1::timestamptz AND o.recorded_at < $2::timestamptz))
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

export interface RetentionReportRequest {
  period: ReportPeriod;
  team: string | null;
  expectedMonthsKept: number;
  now: Date;
}

export async function retentionReport(db: SqlClient, request: RetentionReportRequest): Promise<RetentionReport> {
  const { period, team, expectedMonthsKept, now } = request;
  const scoped = scopedOutcomeParams(period, team, expectedMonthsKept);
  const [totals] = await db.query<TotalsRow>(TOTALS_SQL, [...scoped, now.toISOString()]);
  const trend = await db.query<TrendPoint>(TREND_SQL, [...scoped, period.from, period.to]);
  const [upliftRow] = await db.query<UpliftRow>(UPLIFT_SQL, [...scoped, period.from]);
  const [handle] = await db.query<{ average_handle_seconds: number | null }>(HANDLE_TIME_SQL, scoped.slice(0, 3));
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
