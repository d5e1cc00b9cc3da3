// The retention report reads daily summaries kept as outcomes are inserted (migration 0016). It must
// give the numbers the report counted from the outcomes themselves: the queries below are the
// report's before the summaries (SCOPED_OUTCOMES_SQL is still the definition of every term), run on
// the same outcomes as the report, for the whole book, one team, and periods cutting days apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVE_RATE_MIN_DAYS } from '../../shared/contract/supervisor-reports';
import type { WarningLevel } from '../../shared/contract/entities';
import type { OutcomeDraft } from '../../shared/contract/outcomes';
import type { CentralApi } from '../../server/app';
import { reportPeriod, operatorDaySql, type ReportPeriod } from '../../server/reports/report-period';
import { retentionReport } from '../../server/reports/retention-report';
import { SCOPED_OUTCOMES_SQL, WARNED_LEVELS_SQL, scopedOutcomeParams } from '../../server/reports/scoped-outcomes';
import { TEST_NOW } from '../support/test-clock';
import { addCustomer, addOffer, addOutcome, addStaff, operatorDate, operatorInstant } from './support/report-fixtures';
import { startTestApi } from './support/test-api';

const TOTALS_FROM_OUTCOMES = `WITH scoped AS (SELECT customer_id, recorded_at, result, presented, warned, retained_revenue FROM (${SCOPED_OUTCOMES_SQL}) s),
  totals AS (
    SELECT count(*) AS contacts, count(*) FILTER (WHERE presented) AS presented,
      count(*) FILTER (WHERE result = 'accepted') AS accepted, count(*) FILTER (WHERE result = 'declined') AS declined,
      count(DISTINCT customer_id) FILTER (WHERE warned) AS at_risk_contacted,
      coalesce(sum(retained_revenue), 0)::double precision AS retained_revenue
    FROM scoped),
  fates AS (
    SELECT count(*) AS fate_known, count(*) FILTER (WHERE c.status = 'active') AS still_active
    FROM (SELECT customer_id FROM scoped WHERE warned AND customer_id IS NOT NULL GROUP BY customer_id
          HAVING min(recorded_at) <= $5::timestamptz - interval '${SAVE_RATE_MIN_DAYS} days') w
    LEFT JOIN customers c ON c.id = w.customer_id)
  SELECT * FROM totals, fates`;
const TREND_FROM_OUTCOMES = `WITH scoped AS (${SCOPED_OUTCOMES_SQL})
  SELECT to_char(day, 'YYYY-MM-DD') AS date, count(s.outcome_id) AS contacts, count(*) FILTER (WHERE s.presented) AS presented,
    count(*) FILTER (WHERE s.result = 'accepted') AS accepted, count(DISTINCT s.customer_id) FILTER (WHERE s.warned) AS "atRiskContacted"
  FROM generate_series($5::date, $6::date, interval '1 day') AS day
  LEFT JOIN scoped s ON ${operatorDaySql('s.recorded_at')} = day::date
  GROUP BY day ORDER BY day`;
const UPLIFT_FROM_OUTCOMES = `WITH scoped AS (${SCOPED_OUTCOMES_SQL}),
  still_customer AS (
    SELECT c.id, c.status = 'churned' AND c.data->>'churnDate' >= $5::text AS churned
    FROM customers c WHERE NOT c.deleted AND (c.status = 'active' OR c.data->>'churnDate' >= $5::text)),
  contacted AS (SELECT k.churned FROM still_customer k WHERE k.id IN (SELECT s.customer_id FROM scoped s WHERE s.warned)),
  not_contacted AS (
    SELECT k.churned FROM scores sc JOIN still_customer k ON k.id = sc.customer_id
    WHERE NOT sc.deleted AND sc.warning_level IN ${WARNED_LEVELS_SQL}
      AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.customer_id = k.id AND o.recorded_at >= $1::timestamptz AND o.recorded_at < $2::timestamptz))
  SELECT (SELECT count(*) FROM contacted) AS contacted, (SELECT count(*) FILTER (WHERE churned) FROM contacted) AS contacted_churned,
    (SELECT count(*) FROM not_contacted) AS not_contacted, (SELECT count(*) FILTER (WHERE churned) FROM not_contacted) AS not_contacted_churned`;

const EXPECTED_MONTHS_KEPT = 12;
let api: CentralApi;

/** A fixed pseudo-random sequence, so the book is the same at every run. */
function sequence(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  const db = api.db;
  await addStaff(db, [
    { username: 'agent-s1', role: 'agent', team: 'SUM' },
    { username: 'agent-s2', role: 'agent', team: 'SUM' },
    { username: 'agent-o1', role: 'agent', team: 'OTH' },
  ]);
  await addOffer(db, { id: 'S-RET', kind: 'retention' });
  await addOffer(db, { id: 'S-WIN', kind: 'winback' });
  await addOffer(db, { id: 'S-UP', kind: 'upsell' });
  const warnings: WarningLevel[] = ['red', 'orange', 'yellow', 'none'];
  for (let i = 1; i <= 12; i += 1)
    await addCustomer(db, {
      id: `S${i}`,
      phone: `1390000${String(i).padStart(4, '0')}`,
      churnDaysAgo: i % 3 === 0 ? i * 4 : null,
      warningLevel: warnings[i % 4]!,
    });
  const pick = sequence(20_261_207);
  const results: OutcomeDraft['result'][] = ['accepted', 'declined', 'callback', 'not_presented'];
  const offers = ['S-RET', 'S-WIN', 'S-UP', null];
  for (let i = 0; i < 160; i += 1) {
    const result = results[pick(4)]!;
    // Hours 0 and 23 put contacts at the edges of the operator's day (UTC+8), where a UTC day would cut differently.
    await addOutcome(db, {
      agentId: ['agent-s1', 'agent-s2', 'agent-o1'][pick(3)]!,
      customerId: `S${1 + pick(12)}`,
      offerId: result === 'not_presented' ? null : offers[pick(4)]!,
      result,
      recordedAt: operatorInstant(pick(70), [0, 9, 14, 23][pick(4)]),
      warningLevel: warnings[pick(4)]!,
      arpu3m: 20 + pick(20_000) / 100,
      ...(result === 'declined' ? { declineReason: 'price' as const } : {}),
      ...(result === 'not_presented' ? { notPresentedReason: 'customer_busy' as const } : {}),
    });
  }
});
afterAll(() => api?.close());

async function fromOutcomes(period: ReportPeriod, team: string | null) {
  const scoped = scopedOutcomeParams(period, team, EXPECTED_MONTHS_KEPT);
  const [totals] = await api.db.query<Record<string, number>>(TOTALS_FROM_OUTCOMES, [...scoped, TEST_NOW.toISOString()]);
  const trend = await api.db.query(TREND_FROM_OUTCOMES, [...scoped, period.from, period.to]);
  const [uplift] = await api.db.query<Record<string, number>>(UPLIFT_FROM_OUTCOMES, [...scoped, period.from]);
  return { totals: totals!, trend, uplift: uplift! };
}

describe('retention report from daily summaries', () => {
  const cases: [string, number, number, string | null][] = [
    ['the whole book, 60 days', 60, 0, null],
    ['one team, 60 days', 60, 0, 'SUM'],
    ['the other team, a period ending in the past', 45, 20, 'OTH'],
    ['the whole book, two days', 6, 5, null],
  ];
  it.each(cases)('gives the numbers counted from the outcomes: %s', async (_, fromDaysAgo, toDaysAgo, team) => {
    const period = reportPeriod({ from: operatorDate(fromDaysAgo), to: operatorDate(toDaysAgo) }) as ReportPeriod;
    const report = await retentionReport(api.db, { period, team, expectedMonthsKept: EXPECTED_MONTHS_KEPT, now: TEST_NOW });
    const { totals, trend, uplift } = await fromOutcomes(period, team);
    expect(totals.contacts).toBeGreaterThan(0);
    expect(report.kpis).toMatchObject({
      contacts: totals.contacts,
      atRiskContacted: totals.at_risk_contacted,
      presentationRate: { numerator: totals.presented, denominator: totals.contacts },
      acceptanceRate: { numerator: totals.accepted, denominator: totals.accepted! + totals.declined! },
      saveRate: { numerator: totals.still_active, denominator: totals.fate_known },
    });
    // Summed per day and offer first, then multiplied: the same sum, up to the last bits of a double.
    expect(report.kpis.retainedRevenue).toBeCloseTo(totals.retained_revenue!, 6);
    expect(report.trend).toEqual(trend);
    expect(report.uplift.contacted).toMatchObject({ customers: uplift.contacted, churned: uplift.contacted_churned });
    expect(report.uplift.notContacted).toMatchObject({ customers: uplift.not_contacted, churned: uplift.not_contacted_churned });
  });

  it('keeps the summaries as outcomes arrive: one more accepted retention offer moves every figure it should', async () => {
    const period = reportPeriod({ from: operatorDate(2), to: operatorDate(0) }) as ReportPeriod;
    const ask = () => retentionReport(api.db, { period, team: 'SUM', expectedMonthsKept: EXPECTED_MONTHS_KEPT, now: TEST_NOW });
    const before = await ask();
    await addOutcome(api.db, {
      agentId: 'agent-s2',
      customerId: 'S1',
      offerId: 'S-RET',
      result: 'accepted',
      recordedAt: operatorInstant(1, 10),
      warningLevel: 'red',
      arpu3m: 100,
    });
    const after = await ask();
    expect(after.kpis.contacts).toBe(before.kpis.contacts + 1);
    expect(after.kpis.acceptanceRate.numerator).toBe(before.kpis.acceptanceRate.numerator + 1);
    expect(after.kpis.retainedRevenue).toBeCloseTo(before.kpis.retainedRevenue + 100 * EXPECTED_MONTHS_KEPT, 6);
    const { totals } = await fromOutcomes(period, 'SUM');
    expect(after.kpis.atRiskContacted).toBe(totals.at_risk_contacted);
  });
});
