// GET /reports/outcomes: the period's outcomes, newest first, built as the JSON text of the
// response in one query. Up to 100,000 rows: handing them to JavaScript as rows or objects, and
// serializing those again, would cost several times the query (bench/supervisor-report.ts).
import { OUTCOME_REPORT_MAX_ROWS, type OutcomeReport } from '../../shared/contract/supervisor-reports';
import type { SqlClient } from '../db/sql-client';
import { offerNamesJson } from './offer-names';
import { maskTrimmedPhoneSql, trimPhoneSql } from './mask-phone-sql';
import type { ReportPeriod } from './report-period';
import { SCOPED_OUTCOMES_SQL, scopedOutcomeParams } from './scoped-outcomes';

// $5: rows served. The page takes one row more, to tell truncation; `r` holds exactly the keys of
// OutcomeReportRow, so json_agg writes the rows as served. The phone is the number dialled, else
// the customer's, masked here: reports never carry a clear number, whoever asks.
const OUTCOME_ROWS_SQL = `WITH scoped AS (${SCOPED_OUTCOMES_SQL}),
  page AS (
    SELECT s.*, ${trimPhoneSql('coalesce(s.phone, c.phone)')} AS trimmed_phone,
      row_number() OVER (ORDER BY s.recorded_at DESC, s.server_seq DESC) AS position
    FROM scoped s LEFT JOIN customers c ON c.id = s.customer_id
    ORDER BY s.recorded_at DESC, s.server_seq DESC
    LIMIT $5::int + 1)
  SELECT coalesce(json_agg(r ORDER BY p.position) FILTER (WHERE p.position <= $5::int), '[]')::text AS rows_json,
    count(*) > $5::int AS truncated
  FROM page p CROSS JOIN LATERAL (
    SELECT p.outcome_id::text AS "outcomeId", to_char(p.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
      p.agent_id AS "agentId", p.team, p.channel, p.customer_id AS "customerId", ${maskTrimmedPhoneSql('p.trimmed_phone')} AS "phoneMasked",
      p.stage, p.value_tier AS "valueTier", p.warning_level AS "warningLevel", p.segment, p.offer_id AS "offerId",
      p.offer_kind AS "offerKind", p.result, p.reason, p.expected_value AS "expectedValue", p.retained_revenue AS "retainedRevenue") r`;

// 100,000 rows sort in memory (~30 MB) instead of spilling to disk under the default 4 MB.
const SORT_MEMORY = '64MB';

export interface OutcomeReportRequest {
  period: ReportPeriod;
  team: string | null;
  expectedMonthsKept: number;
  now: Date;
  maxRows?: number;
}

/** The report as the JSON text of an OutcomeReport (the response body, sent as it is). */
export async function outcomeReportJson(db: SqlClient, request: OutcomeReportRequest): Promise<string> {
  const { period, team, expectedMonthsKept, now, maxRows = OUTCOME_REPORT_MAX_ROWS } = request;
  const [page] = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${SORT_MEMORY}'`);
    return tx.query<{ rows_json: string; truncated: boolean }>(OUTCOME_ROWS_SQL, [...scopedOutcomeParams(period, team, expectedMonthsKept), maxRows]);
  });
  if (page === undefined) throw new Error('outcome report query returned no row');
  const head: Omit<OutcomeReport, 'rows' | 'truncated' | 'offerNames'> = { query: { from: period.from, to: period.to, team }, generatedAt: now.toISOString() };
  return `${JSON.stringify(head).slice(0, -1)},"rows":${page.rows_json},"truncated":${page.truncated},"offerNames":${await offerNamesJson(db)}}`;
}
