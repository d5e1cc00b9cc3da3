// The outcomes a report covers, as one SQL fragment every report query builds on, so "contact",
// "presented", "warned" and "retained revenue" are defined once.
//
// Parameters $1..$4 (scopedOutcomeParams): period start, first instant after the period, team
// (null = every team), expected months kept. Queries using the fragment number their own from $5.
import { WARNED_LEVELS } from '../../shared/contract/supervisor-reports';
import type { ReportPeriod } from './report-period';

export const WARNED_LEVELS_SQL = `(${WARNED_LEVELS.map((level) => `'${level}'`).join(', ')})`;

// Fields are read with #>> (one walk of the document, no intermediate jsonb copies).
export const SCOPED_OUTCOMES_SQL = `SELECT o.outcome_id, o.server_seq, o.recorded_at, o.agent_id, u.team, o.channel,
    o.customer_id, o.offer_id, o.result, offer.kind AS offer_kind,
    o.payload #>> '{draft,phone}' AS phone,
    o.payload #>> '{draft,context,stage}' AS stage,
    o.payload #>> '{draft,context,valueTier}' AS value_tier,
    o.payload #>> '{draft,context,warningLevel}' AS warning_level,
    o.payload #>> '{draft,context,segment}' AS segment,
    (o.payload #>> '{draft,context,expectedValue}')::double precision AS expected_value,
    coalesce(o.payload #>> '{draft,declineReason}', o.payload #>> '{draft,notPresentedReason}') AS reason,
    o.result IN ('accepted', 'declined', 'callback') AS presented,
    coalesce(o.payload #>> '{draft,context,warningLevel}' IN ${WARNED_LEVELS_SQL}, false) AS warned,
    CASE WHEN o.result = 'accepted' AND offer.kind IN ('retention', 'winback')
      THEN coalesce((o.payload #>> '{draft,context,arpu3m}')::double precision, 0) * $4::double precision
      ELSE 0 END AS retained_revenue
  FROM outcomes o
  LEFT JOIN users u ON u.id = o.agent_id
  -- OFFSET 0 keeps this subquery from being flattened: each offer document is read once, not once per outcome.
  LEFT JOIN (SELECT id, data->>'kind' AS kind FROM offers OFFSET 0) offer ON offer.id = o.offer_id
  WHERE o.recorded_at >= $1::timestamptz AND o.recorded_at < $2::timestamptz
    AND ($3::text IS NULL OR u.team = $3::text)`;

export function scopedOutcomeParams(period: ReportPeriod, team: string | null, expectedMonthsKept: number): unknown[] {
  return [period.startsAt, period.endsBefore, team, expectedMonthsKept];
}
