// The outcomes a report covers, as one SQL fragment every report query builds on, so "contact",
// "presented", "warned" and "retained revenue" are defined once.
//
// Parameters $1..$4 (scopedOutcomeParams): period start, first instant after the period, team
// (null = every team), expected months kept. Queries using the fragment number their own from $5.
import { WARNED_LEVELS } from '../../shared/contract/supervisor-reports';
import type { ReportPeriod } from './report-period';

export const WARNED_LEVELS_SQL = `(${WARNED_LEVELS.map((level) => `'${level}'`).join(', ')})`;

// The payload's fields are read from their stored generated columns (migration 0023), not from the JSON:
// phone_masked is the dialled number, already masked; recorded_at_text the instant as reports write it.
export const SCOPED_OUTCOMES_SQL = `SELECT o.outcome_id, o.server_seq, o.recorded_at, o.recorded_at_text, o.agent_id, u.team, o.channel,
    o.customer_id, o.offer_id, o.result, offer.kind AS offer_kind, o.phone_masked, o.stage, o.value_tier, o.warning_level, o.segment,
    o.expected_value::double precision AS expected_value, o.reason,
    o.result IN ('accepted', 'declined', 'callback') AS presented,
    coalesce(o.warning_level IN ${WARNED_LEVELS_SQL}, false) AS warned,
    CASE WHEN o.result = 'accepted' AND offer.kind IN ('retention', 'winback')
      THEN coalesce(o.arpu3m::double precision, 0) * $4::double precision
      ELSE 0 END AS retained_revenue
  FROM outcomes o
  LEFT JOIN users u ON u.id = o.agent_id
  -- OFFSET 0 keeps this subquery from being flattened, so its result is memoized per offer: each offer
  -- document is read once, not once per outcome, and the outcomes keep their order (a page reads them in order).
  LEFT JOIN LATERAL (SELECT data->>'kind' AS kind FROM offers WHERE id = o.offer_id OFFSET 0) offer ON true
  WHERE o.recorded_at >= $1::timestamptz AND o.recorded_at < $2::timestamptz
    AND ($3::text IS NULL OR u.team = $3::text)`;

export function scopedOutcomeParams(period: ReportPeriod, team: string | null, expectedMonthsKept: number): unknown[] {
  return [period.startsAt, period.endsBefore, team, expectedMonthsKept];
}
