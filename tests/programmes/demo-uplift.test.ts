// The demo book shows both halves of issue 20 on a fresh start: the seed keeps the champion's scores
// of past months, so the models report measures them on realised churn, and the programmes' past runs
// one programme as a learning pilot whose uplift model is fitted at seed time, so cards of its
// offers are ranked by uplift × CLV. Same seed, same result.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardFromBook } from '../../server/cards/book-card';
import type { CentralApi } from '../../server/app';
import { modelMonitoringReport } from '../../server/reports/model-monitoring-report';
import { DEMO_BOOK_SIZE } from '../../server/seed/demo-customers';
import { seedDemoProgrammes, type DemoProgrammesReport } from '../../server/seed/demo-programmes';
import { createScoringBundleCache, readScoringBundleJson } from '../../server/scoring/scoring-bundle-store';
import { fallsShortOfTraining } from '../../shared/analytics/monitoring/realised-performance';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { compileUpliftModel, UPLIFT_MIN_CHURNED_PER_GROUP } from '../../shared/analytics/uplift/uplift-model';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { Customer, CustomerScore, Offer } from '../../shared/contract/entities';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { rankingRuleOf } from '../../shared/offers/arbitrate';
import { TEST_NOW } from '../support/test-clock';
import { startTestApi } from '../server/support/test-api';

let api: CentralApi;
let seeded: DemoProgrammesReport;
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: DEMO_BOOK_SIZE });
  seeded = await seedDemoProgrammes(api.db, { historyDays: 60, now: TEST_NOW });
});
afterAll(() => api?.close());

/** Warned customers of the demo book with the card a desk builds for them from its cache, with the pilot's uplift model. */
async function warnedCustomers(): Promise<{ customer: Customer; card: CustomerCard }[]> {
  const bundle = ScoringBundle.parse(JSON.parse((await readScoringBundleJson(api.db))!.json));
  const upliftModels = (bundle.upliftModels ?? []).map(compileUpliftModel);
  const offers = (await api.db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted ORDER BY id')).map((r) => Offer.parse(r.data));
  const warned = await api.db.query<{ customer: unknown; score: unknown }>(
    `SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id
      WHERE c.status = 'active' AND s.warning_level IN ('red', 'orange') ORDER BY c.id LIMIT 300`,
  );
  return warned.map((row) => {
    const customer = Customer.parse(row.customer);
    const card = buildCustomerCard({
      phone: customer.phone,
      customer,
      score: CustomerScore.parse(row.score),
      offers,
      offerStats: new Map(),
      upliftModels,
      contactHistory: null,
      recentOutcomes: [],
      channel: 'hotline',
      explorationSeed: customer.id,
      now: TEST_NOW,
    });
    return { customer, card };
  });
}

describe('the demo book', () => {
  // The programmes' past starts 150 days before the tests' clock (90 days, then 60 of call history):
  // of the nine months the seed keeps (2025-12 to 2026-08), the four whose window closes before it remain.
  it("keeps the champion's scores of past months, measured on realised churn month by month", async () => {
    const report = await modelMonitoringReport(api.db, {}, TEST_NOW);
    const measured = report.months.filter((m) => m.enough);
    expect(measured.length).toBeGreaterThanOrEqual(4);
    for (const month of measured) {
      expect(month.windowClosed).toBe(true);
      expect(month.auc).not.toBeNull();
      expect(month.calibration).toHaveLength(10);
    }
    expect(report.driftComputedAt).toBe(TEST_NOW.toISOString());
  });

  it('has a champion that ranks realised churn about as well as its training said: its examples are labelled as the report measures', async () => {
    const report = await modelMonitoringReport(api.db, {}, TEST_NOW);
    const trainingAuc = report.champion!.metrics.auc;
    const final = report.months.filter((m) => m.enough && m.windowClosed);
    expect(final.length).toBeGreaterThanOrEqual(4);
    for (const month of final) {
      expect(fallsShortOfTraining(trainingAuc, month), `${month.month}: AUC ${month.auc} against ${trainingAuc} at training`).toBe(false);
      expect(month.topDecileLift, month.month).toBeGreaterThan(2);
    }
  });

  it("warns at levels whose customers leave within the horizon about as often as the levels promise: no month's level is far below its target", async () => {
    const report = await modelMonitoringReport(api.db, {}, TEST_NOW);
    expect(report.warningPrecision.length).toBeGreaterThanOrEqual(4);
    for (const month of report.warningPrecision) {
      for (const level of month.levels) {
        expect(level.customers, `${month.month} ${level.level}`).toBeGreaterThan(0);
        expect(
          level.farBelowTarget,
          `${month.month} ${level.level}: ${level.churnedAtOrAbove} of ${level.customersAtOrAbove} left, target ${level.target}`,
        ).toBe(false);
      }
    }
  });

  it("is calibrated on the month its calibration chart shows: the programmes' leavers are not counted on top of the generator's", async () => {
    // The generator has already let the book's customers leave up to its reference date; the programmes'
    // past lets the survivors leave again from its first day, so a kept month whose window reached into it
    // read about one and a half times the churn its scores predict (2026-08 at this clock).
    const report = await modelMonitoringReport(api.db, {}, TEST_NOW);
    const shown = report.months.filter((m) => m.enough && m.windowClosed).at(-1)!;
    const predicted = shown.calibration.reduce((sum, d) => sum + d.meanPredicted * d.customers, 0) / shown.customers;
    expect(
      Math.abs(predicted - shown.churned / shown.customers),
      `${shown.month}: ${predicted} predicted, ${shown.churned} of ${shown.customers} left`,
    ).toBeLessThan(0.02);
    const top = shown.calibration.at(-1)!;
    expect(Math.abs(top.meanPredicted - top.observedRate), `${shown.month} top decile`).toBeLessThan(0.05);
  });

  it("flags no drift the demo's construction makes between its training examples and today's book", async () => {
    // The examples are the book 3-6 months back. Their 6-month ARPU trend read a padded month 0 at months
    // 5-8 of a 12-month history (PSI 0.27), and contracts signed since then ran up to 30 months back then
    // (contract days left, PSI 0.67). What is left on contract days left is the demo book's own wave of
    // contracts ending within 60 days of its reference date: 18 % of today's customers in the bin that holds
    // them against 7 % of the examples (PSI 0.22).
    const report = await modelMonitoringReport(api.db, {}, TEST_NOW);
    expect(report.drift.filter((d) => d.flagged && d.feature !== 'contract_days_left')).toEqual([]);
    expect(report.drift.find((d) => d.feature === 'contract_days_left')!.psi).toBeLessThan(0.25);
  });

  it('runs one programme as a learning pilot whose uplift model is fitted at seed time and ranks some cards', async () => {
    expect(seeded.pilot).toBeDefined();
    expect(seeded.upliftModels).toEqual([seeded.pilot]);
    const bundle = ScoringBundle.parse(JSON.parse((await readScoringBundleJson(api.db))!.json));
    const [model] = bundle.upliftModels ?? [];
    for (const group of [model!.trainedOn.treated, model!.trainedOn.control]) {
      expect(group.churned).toBeGreaterThanOrEqual(UPLIFT_MIN_CHURNED_PER_GROUP);
      expect(group.customers - group.churned).toBeGreaterThanOrEqual(UPLIFT_MIN_CHURNED_PER_GROUP);
    }

    const rules = (await warnedCustomers()).flatMap(({ card }) => card.offers.map((offer) => rankingRuleOf(offer.why)));
    expect(rules).toContain('uplift');
  });

  it('ranks the offers of a card the central API builds for a desk that does not cache the customer by the same uplift model', async () => {
    const rankedByUplift = (await warnedCustomers()).find(({ card }) => card.offers.some((offer) => rankingRuleOf(offer.why) === 'uplift'));
    expect(rankedByUplift).toBeDefined();
    const agent = { id: 'agent01', role: 'agent', displayName: 'agent01', team: null } as const;
    const query = { purpose: 'call', viewId: uuidv7(), deviceId: 'desk-demo-uplift' } as const;
    const fromServer = await cardFromBook(api.db, createScoringBundleCache(), agent, { by: 'phone', phone: rankedByUplift!.customer.phone }, query, TEST_NOW);
    expect(fromServer!.card.offers.map((offer) => rankingRuleOf(offer.why))).toContain('uplift');
  });

  it('seeds the same past from the same seed', async () => {
    const again = await startTestApi({ seedCustomers: DEMO_BOOK_SIZE });
    try {
      expect(await seedDemoProgrammes(again.db, { historyDays: 60, now: TEST_NOW })).toEqual(seeded);
      const models = async (db: CentralApi['db']) => ScoringBundle.parse(JSON.parse((await readScoringBundleJson(db))!.json)).upliftModels;
      expect(await models(again.db)).toEqual(await models(api.db));
    } finally {
      await again.close();
    }
  });
});
