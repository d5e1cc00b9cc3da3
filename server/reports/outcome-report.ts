// GET /reports/outcomes: the period's outcomes, newest first, a page at a time, each page built as
// the JSON text of the response in one query: handing the rows to JavaScript as rows or objects,
// and serializing those again, would cost several times the query (bench/supervisor-report.ts).
// Pages follow each other by keyset (recorded_at, server_seq), not by offset, so the last page of a
// long period costs what the first does; the desk follows nextCursor (central-api-client.ts).
import { OUTCOME_REPORT_PAGE_ROWS, type OutcomeReport } from '../../shared/contract/supervisor-reports';
import type { SqlClient } from '../db/sql-client';
import { offerNamesJson } from './offer-names';
import type { ReportPeriod } from './report-period';
import { SCOPED_OUTCOMES_SQL, scopedOutcomeParams } from './scoped-outcomes';

// $5: rows served; $6, $7: the page starts after this recorded_at and server_seq (null: the newest).
// The page takes one row more, to tell whether another follows; the cursor is written for the page's
// last row only (a FILTER skips its aggregate's argument for the other rows). `r` holds exactly the keys of
// OutcomeReportRow, so json_agg writes the rows as served. The phone is the number dialled, else
// the customer's, masked: reports never carry a clear number, whoever asks. The customer's number is
// masked in a subquery kept apart (OFFSET 0) so it is memoized: once per customer, not per outcome.
// The joins keep the outcomes' order, so the page is read newest first and stops at its last row.
const OUTCOME_ROWS_SQL = `WITH scoped AS (${SCOPED_OUTCOMES_SQL}),
  page AS (
    SELECT s.*, coalesce(s.phone_masked, c.phone_masked) AS shown_phone_masked,
      row_number() OVER (ORDER BY s.recorded_at DESC, s.server_seq DESC) AS position
    FROM scoped s LEFT JOIN LATERAL (SELECT mask_phone(phone) AS phone_masked FROM customers WHERE id = s.customer_id OFFSET 0) c ON true
    WHERE $6::timestamptz IS NULL OR (s.recorded_at, s.server_seq) < ($6::timestamptz, $7::bigint)
    ORDER BY s.recorded_at DESC, s.server_seq DESC
    LIMIT $5::int + 1)
  SELECT coalesce(json_agg(r ORDER BY p.recorded_at DESC, p.server_seq DESC) FILTER (WHERE p.position <= $5::int), '[]')::text AS rows_json,
    CASE WHEN count(*) > $5::int
      THEN max(to_char(p.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '~' || p.server_seq) FILTER (WHERE p.position = $5::int) END AS next_cursor
  FROM page p CROSS JOIN LATERAL (
    SELECT p.outcome_id::text AS "outcomeId", p.recorded_at_text AS "recordedAt",
      p.agent_id AS "agentId", p.team, p.channel, p.customer_id AS "customerId", p.shown_phone_masked AS "phoneMasked",
      p.stage, p.value_tier AS "valueTier", p.warning_level AS "warningLevel", p.segment, p.offer_id AS "offerId",
      p.offer_kind AS "offerKind", p.result, p.reason, p.expected_value AS "expectedValue", p.retained_revenue AS "retainedRevenue") r`;

// A page of up to 50,000 rows sorts in memory (~15 MB) instead of spilling to disk under the default 4 MB.
const SORT_MEMORY = '64MB';

export interface OutcomeReportRequest {
  period: ReportPeriod;
  team: string | null;
  expectedMonthsKept: number;
  now: Date;
  /** Rows of this page (default OUTCOME_REPORT_PAGE_ROWS). */
  limit?: number;
  /** The nextCursor of the page before (an OutcomeReportCursor); absent for the newest page. */
  after?: string;
}

/** An OutcomeReportCursor's instant and server sequence, as the page query takes them. */
function keysetOf(after: string | undefined): [string | null, number | null] {
  if (after === undefined) return [null, null];
  const [recordedAt, serverSeq] = after.split('~');
  return [recordedAt!, Number(serverSeq)];
}

/** The report as the JSON text of an OutcomeReport (the response body, sent as it is). */
export async function outcomeReportJson(db: SqlClient, request: OutcomeReportRequest): Promise<string> {
  const { period, team, expectedMonthsKept, now, limit = OUTCOME_REPORT_PAGE_ROWS, after } = request;
  const [page] = await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${SORT_MEMORY}'`);
    return tx.query<{ rows_json: string; next_cursor: string | null }>(OUTCOME_ROWS_SQL, [
      ...scopedOutcomeParams(period, team, expectedMonthsKept),
      limit,
      ...keysetOf(after),
    ]);
  });
  if (page === undefined) throw new Error('outcome report query returned no row');
  const head: Omit<OutcomeReport, 'rows' | 'truncated' | 'nextCursor' | 'offerNames'> = {
    query: { from: period.from, to: period.to, team },
    generatedAt: now.toISOString(),
  };
  // Nothing is left out: a period longer than a page continues at nextCursor.
  return `${JSON.stringify(head).slice(0, -1)},"rows":${page.rows_json},"truncated":false,"nextCursor":${JSON.stringify(page.next_cursor)},"offerNames":${await offerNamesJson(db)}}`;
}
