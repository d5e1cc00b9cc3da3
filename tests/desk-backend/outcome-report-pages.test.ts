// The desk asks the outcome report a page at a time (GET /reports/outcomes, keyset paging) and hands
// the renderer the period whole, newest first, stopping at the rows its table shows.
import { describe, expect, it } from 'vitest';
import { createCentralApiClient } from '../../desk-backend/central-api/central-api-client';
import { OUTCOME_REPORT_MAX_ROWS, OUTCOME_REPORT_PAGE_MAX_ROWS, type OutcomeReportRow } from '../../shared/contract/supervisor-reports';

const row = (n: number): OutcomeReportRow => ({
  outcomeId: `o-${n}`,
  recordedAt: '2026-11-30T08:00:00.000Z',
  agentId: 'agent01',
  team: 'T1',
  channel: 'hotline',
  customerId: null,
  phoneMasked: null,
  stage: null,
  valueTier: null,
  warningLevel: null,
  segment: null,
  offerId: null,
  offerKind: null,
  result: 'not_presented',
  reason: null,
  expectedValue: null,
  retainedRevenue: 0,
});
const cursor = (n: number) => `2026-11-30T08:00:00.000000Z~${n}`;

/** A server holding `total` rows, answering pages of what the desk asks for. */
function pagedServer(total: number) {
  const asked: URLSearchParams[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const query = new URL(String(input)).searchParams;
    asked.push(query);
    const start = query.has('after') ? Number(query.get('after')!.split('~')[1]) : 0;
    const end = Math.min(total, start + Number(query.get('limit')));
    const body = {
      query: { from: '2026-11-01', to: '2026-11-30', team: 'T1' },
      generatedAt: '2026-12-01T00:00:00.000Z',
      rows: Array.from({ length: end - start }, (_, i) => row(start + i)),
      truncated: false,
      nextCursor: end < total ? cursor(end) : null,
      offerNames: {},
    };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const session = createCentralApiClient({ baseUrl: 'http://central.test', fetch }).forSession({ authorized: (call) => call('tok') });
  return { session, asked };
}

describe('outcome report pages', () => {
  it('follows nextCursor until the last page and returns every row in order', async () => {
    const { session, asked } = pagedServer(OUTCOME_REPORT_PAGE_MAX_ROWS + 3);
    const report = await session.outcomeReport({ from: '2026-11-01', to: '2026-11-30', team: 'T1' });
    expect(report.rows.map((r) => r.outcomeId)).toEqual(Array.from({ length: OUTCOME_REPORT_PAGE_MAX_ROWS + 3 }, (_, i) => `o-${i}`));
    expect(report).toMatchObject({ truncated: false, nextCursor: null });
    expect(asked.map((q) => q.get('after'))).toEqual([null, cursor(OUTCOME_REPORT_PAGE_MAX_ROWS)]);
  });

  it('stops at the rows the desk shows, keeps the newest, and says rows were left out', async () => {
    const { session, asked } = pagedServer(OUTCOME_REPORT_MAX_ROWS + 10);
    const report = await session.outcomeReport({ from: '2026-11-01', to: '2026-11-30' });
    expect(report.rows).toHaveLength(OUTCOME_REPORT_MAX_ROWS);
    expect(report.rows[0]!.outcomeId).toBe('o-0');
    expect(report.truncated).toBe(true);
    expect(asked.reduce((sum, q) => sum + Number(q.get('limit')), 0)).toBe(OUTCOME_REPORT_MAX_ROWS);
  });
});
