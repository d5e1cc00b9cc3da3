// The demo launcher's history of past calls: stored through the real outcome path, the same on
// every run for the same book, seeded once, and visible in the supervisor's retention report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionReport } from '../../shared/contract/supervisor-reports';
import type { Customer, CustomerScore, OfferStats } from '../../shared/contract/entities';
import type { CentralApi } from '../../server/app';
import { seedDemoHistory } from '../../server/seed/demo-history';
import { operatorDaySql, reportPeriod, type ReportPeriod } from '../../server/reports/report-period';
import { DEFAULT_EXPECTED_MONTHS_KEPT } from '../../server/reports/report-settings';
import { retentionReport } from '../../server/reports/retention-report';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { bearer, login, startTestApi } from './support/test-api';
import { TEST_NOW } from '../support/test-clock';

const BOOK = 300;
const DAYS = 14;
// The API's clock is TEST_NOW too, so the report's days are the history's days.
const NOW = TEST_NOW;
const operatorDate = (daysBack: number) => operatorDateDaysBefore(NOW, daysBack);

interface StoredOutcome {
  outcome_id: string;
  result: string;
  offer_id: string | null;
}
const storedOutcomes = (api: CentralApi) => api.db.query<StoredOutcome>('SELECT outcome_id::text, result, offer_id FROM outcomes ORDER BY outcome_id');

describe('demo history', () => {
  let api: CentralApi;
  let twin: CentralApi;
  // Two books and a 14-day history: minutes on a loaded machine, so the limit only catches a hang.
  beforeAll(async () => {
    [api, twin] = await Promise.all([startTestApi({ seedCustomers: BOOK }), startTestApi({ seedCustomers: BOOK })]);
    await seedDemoHistory(api.db, { days: DAYS, now: NOW });
  }, 300_000);
  afterAll(async () => {
    await Promise.all([api?.close(), twin?.close()]);
  });

  it('records outcomes on each of the days before today, with a full call for each', async () => {
    const days = await api.db.query<{ day: string }>(
      `SELECT DISTINCT to_char(${operatorDaySql('recorded_at')}, 'YYYY-MM-DD') AS day FROM outcomes ORDER BY day`,
    );
    expect(days.map((d) => d.day)).toEqual(Array.from({ length: DAYS }, (_, i) => operatorDate(DAYS - i)));
    const outcomes = await storedOutcomes(api);
    expect(outcomes.length).toBeGreaterThanOrEqual(DAYS * 3);
    const [calls] = await api.db.query<{ complete: number; events: number }>(
      `SELECT count(*) FILTER (WHERE n = 3) AS complete, count(*) AS events FROM
        (SELECT call_id, count(DISTINCT event) AS n FROM cti_calls GROUP BY call_id) c`,
    );
    expect(calls).toEqual({ complete: outcomes.length, events: outcomes.length });
    const results = new Set(outcomes.map((o) => o.result));
    expect(results.has('accepted') && results.has('declined')).toBe(true);
  });

  it('stores through the real path: offer stats count exactly the accepted and declined outcomes', async () => {
    const outcomes = await storedOutcomes(api);
    const expected = new Map<string, { presented: number; accepted: number }>();
    for (const o of outcomes) {
      if (o.offer_id === null || (o.result !== 'accepted' && o.result !== 'declined')) continue;
      const counts = expected.get(o.offer_id) ?? { presented: 0, accepted: 0 };
      expected.set(o.offer_id, { presented: counts.presented + 1, accepted: counts.accepted + (o.result === 'accepted' ? 1 : 0) });
    }
    const stats = await api.db.query<{ data: OfferStats }>('SELECT data FROM offer_stats WHERE NOT deleted');
    const counted = new Map(
      stats.map(({ data }) => {
        const segments = Object.values(data.segments);
        return [data.offerId, { presented: segments.reduce((n, s) => n + s.presented, 0), accepted: segments.reduce((n, s) => n + s.accepted, 0) }];
      }),
    );
    expect(counted).toEqual(expected);
    const [history] = await api.db.query<{ customers: number }>('SELECT count(*) AS customers FROM contact_history WHERE NOT deleted');
    expect(history?.customers).toBe(new Set((await api.db.query<{ customer_id: string }>('SELECT customer_id FROM outcomes')).map((r) => r.customer_id)).size);
  });

  it('gives the same outcome ids and results for the same book and dates', async () => {
    await seedDemoHistory(twin.db, { days: DAYS, now: NOW });
    expect(await storedOutcomes(twin)).toEqual(await storedOutcomes(api));
  });

  it('does nothing once outcomes exist', async () => {
    const before = await storedOutcomes(api);
    expect(await seedDemoHistory(api.db, { days: DAYS, now: NOW })).toEqual({ outcomes: 0, calls: 0, leavers: 0 });
    expect(await storedOutcomes(api)).toEqual(before);
  });

  it('refuses a negative number of days and changes nothing', async () => {
    const before = await storedOutcomes(api);
    await expect(seedDemoHistory(api.db, { days: -1, now: NOW })).rejects.toThrow(/whole number/);
    expect(await storedOutcomes(api)).toEqual(before);
  });

  it('fills the retention report of that period', async () => {
    const token = await login(api.app, 'admin01');
    const response = await api.app.inject({
      method: 'GET',
      url: `/reports/retention?from=${operatorDate(DAYS)}&to=${operatorDate(1)}`,
      headers: bearer(token),
    });
    expect(response.statusCode, response.body).toBe(200);
    const report = RetentionReport.parse(response.json());
    expect(report.kpis.contacts).toBe((await storedOutcomes(api)).length);
    expect(report.kpis.averageHandleSeconds).toBeGreaterThanOrEqual(120);
    expect(report.kpis.averageHandleSeconds).toBeLessThanOrEqual(480);
  });
});

describe('leavers during the demo history', () => {
  // A fixed history end, so the days (and the leaving draws of each day) are the same on every run.
  const END = new Date('2026-12-01T04:00:00Z');
  const HISTORY_DAYS = 60;
  let book: CentralApi;
  beforeAll(async () => {
    book = await startTestApi({ seedCustomers: 2000 });
  }, 300_000);
  afterAll(async () => {
    await book?.close();
  });

  it('lets customers keep leaving at their hazard, some after a contact, and re-assesses them as churned', async () => {
    const report = await seedDemoHistory(book.db, { days: HISTORY_DAYS, now: END });
    // About 1-3 % a month of 2,000 customers over two months.
    expect(report.leavers).toBeGreaterThan(20);
    expect(report.leavers).toBeLessThan(200);
    const rows = await book.db.query<{ customer: Customer; score: CustomerScore }>(
      `SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id WHERE c.version > 1`,
    );
    expect(rows).toHaveLength(report.leavers);
    const first = new Date(END.getTime() - HISTORY_DAYS * 86_400_000).toISOString().slice(0, 10);
    for (const { customer, score } of rows) {
      expect(customer.status).toBe('churned');
      expect(customer.churnDate! >= first && customer.churnDate! < END.toISOString().slice(0, 10), customer.churnDate!).toBe(true);
      expect(score).toMatchObject({ stage: 'E', warningLevel: 'none', churnProbability: 1 });
    }
    const [afterContact] = await book.db.query<{ n: number }>(
      `SELECT count(DISTINCT o.customer_id) AS n FROM outcomes o JOIN customers c ON c.id = o.customer_id
       WHERE c.status = 'churned' AND to_char(o.recorded_at, 'YYYY-MM-DD') < c.data->>'churnDate'`,
    );
    expect(afterContact?.n, 'customers contacted before they left').toBeGreaterThan(0);
  });

  it("gives the supervisor's retention review figures to read: a save rate, and leavers among warned customers contacted and not", async () => {
    // The history's 60 days: warned customers contacted 30 to 60 days before its end have a known fate.
    const period = reportPeriod({ from: operatorDateDaysBefore(END, HISTORY_DAYS), to: operatorDateDaysBefore(END, 1) }) as ReportPeriod;
    const { kpis, uplift } = await retentionReport(book.db, { period, team: null, expectedMonthsKept: DEFAULT_EXPECTED_MONTHS_KEPT, now: END });
    expect(kpis.saveRate.denominator).toBeGreaterThan(0);
    expect(kpis.saveRate.numerator).toBeLessThanOrEqual(kpis.saveRate.denominator);
    // Leavers are re-assessed with no warning: the not-contacted group still counts those warned before the history.
    expect(uplift.contacted.customers).toBeGreaterThan(0);
    expect(uplift.notContacted.customers).toBeGreaterThan(0);
    expect(uplift.notContacted.churned).toBeGreaterThan(0);
    const [kept] = await book.db.query<{ n: number }>(`SELECT count(*) AS n FROM model_predictions WHERE role = 'champion' AND scored_on = $1::date`, [
      operatorDateDaysBefore(END, HISTORY_DAYS),
    ]);
    expect(kept?.n, "the champion's predictions kept as the history starts").toBeGreaterThan(0);
  });
});
