// GET /reports/outcomes: the period's outcomes, newest first, in one query (no per-row look-ups).
import { OUTCOME_REPORT_MAX_ROWS, type OutcomeReport, type OutcomeReportRow } from '../../shared/contract/reports';
import { maskPhone } from '../../shared/domain/masking';
import type { SqlClient } from '../db/sql-client';
import type { ReportPeriod } from './report-period';
import { SCOPED_OUTCOMES_SQL, scopedOutcomeParams } from './scoped-outcomes';

// $5: row limit (one more than served, to tell truncation). The rows come back as ONE JSON text:
// PGlite pays per field it hands over, so 100,000 rows × 17 columns would cost seconds. The phone
// is the number dialled, else the customer's, and is masked in TypeScript (maskPhone) before it leaves.
const OUTCOME_ROWS_SQL = `WITH scoped AS (${SCOPED_OUTCOMES_SQL})
  SELECT coalesce(json_agg(page ORDER BY page."recordedAt" DESC, page."serverSeq" DESC), '[]')::text AS rows_json
  FROM (
    SELECT s.server_seq AS "serverSeq", s.outcome_id::text AS "outcomeId", s.recorded_at AS "recordedAt",
      s.agent_id AS "agentId", s.team, s.channel, s.customer_id AS "customerId", coalesce(s.phone, c.phone) AS phone,
      s.stage, s.value_tier AS "valueTier", s.warning_level AS "warningLevel", s.segment, s.offer_id AS "offerId",
      s.offer_kind AS "offerKind", s.result, s.reason, s.expected_value AS "expectedValue", s.retained_revenue AS "retainedRevenue"
    FROM scoped s LEFT JOIN customers c ON c.id = s.customer_id
    ORDER BY s.recorded_at DESC, s.server_seq DESC
    LIMIT $5) page`;

const SORT_MEMORY = '64MB';

/** A row as the query builds it: the clear phone instead of the masked one, and its sort key. */
type QueriedRow = Omit<OutcomeReportRow, 'phoneMasked'> & { phone: string | null; serverSeq: number };

function reportRow({ phone, serverSeq: _sortKey, recordedAt, ...row }: QueriedRow): OutcomeReportRow {
  // Reports never carry a clear number, whoever asks.
  return { ...row, recordedAt: new Date(recordedAt).toISOString(), phoneMasked: phone === null ? null : maskPhone(phone) };
}

export interface OutcomeReportRequest {
  period: ReportPeriod;
  team: string | null;
  expectedMonthsKept: number;
  now: Date;
  maxRows?: number;
}

export async function outcomeReport(db: SqlClient, request: OutcomeReportRequest): Promise<OutcomeReport> {
  const { period, team, expectedMonthsKept, now, maxRows = OUTCOME_REPORT_MAX_ROWS } = request;
  const [page] = await db.transaction(async (tx) => {
    // 100,000 rows sort in memory (~30 MB) instead of spilling to disk under the default 4 MB.
    await tx.query(`SET LOCAL work_mem = '${SORT_MEMORY}'`);
    return tx.query<{ rows_json: string }>(OUTCOME_ROWS_SQL, [...scopedOutcomeParams(period, team, expectedMonthsKept), maxRows + 1]);
  });
  const rows = JSON.parse(page?.rows_json ?? '[]') as QueriedRow[];
  return {
    query: { from: period.from, to: period.to, team },
    generatedAt: now.toISOString(),
    rows: rows.slice(0, maxRows).map(reportRow),
    truncated: rows.length > maxRows,
  };
}
