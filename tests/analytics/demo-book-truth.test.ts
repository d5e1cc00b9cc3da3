// Issue 14 §2: the card never contradicts itself. The warning level follows from the probability
// the card shows and the published thresholds; a reason is named only when it adds a material
// amount of risk and reads as a risk; and the demo book's churn comes from a ground-truth hazard,
// so its model learns the drivers an operator would recognise (complaints, network faults).
import { describe, expect, it } from 'vitest';
import { materialRiskReasons, MATERIAL_PROBABILITY_POINTS, probabilityAddedBy, readsAsRisk } from '../../shared/analytics/material-reasons';
import { chooseWarningThresholds, DEFAULT_PRECISION_TARGETS, warningLevelFor, type WarningThresholds } from '../../shared/analytics/models/warning-thresholds';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import { createBatchScorer } from '../../shared/analytics/score-rows';
import { customerFeatureRows } from '../../shared/analytics/customer-features';
import { withSignals } from '../../shared/analytics/score-book';
import { shownPercent } from '../../shared/domain/probability';
import { monthlyChurnHazard } from '../../server/seed/churn-hazard';
import { buildDemoScoring } from '../db/support/demo-scoring';
import type { Customer } from '../../shared/contract/entities';

const NOW = new Date('2026-11-20T08:00:00Z');

const threshold = (probability: number) => ({ probability, precision: 0.5, recall: 0.5, flaggedShare: 0.1 });
const thresholds = (red: number, orange: number, yellow: number): WarningThresholds => ({
  targets: DEFAULT_PRECISION_TARGETS,
  minFlagged: 5,
  red: threshold(red),
  orange: threshold(orange),
  yellow: threshold(yellow),
});

describe('the probability the card shows', () => {
  it('is a whole percent, rounded as stored and as Intl rounds, and 0 ("< 1 %") below one percent', () => {
    expect(shownPercent(0.004)).toBe(0);
    expect(shownPercent(0.0094)).toBe(0);
    expect(shownPercent(0.0096)).toBe(1);
    expect(shownPercent(0.145)).toBe(15);
    expect(shownPercent(0.2944)).toBe(29);
    expect(shownPercent(0.2949)).toBe(30); // stored as 0.295, which Intl shows as 30 %
    expect(shownPercent(0.2995)).toBe(30);
  });
});

describe('warning levels', () => {
  it('follow the shown percent: 30 % shown is yellow when yellow starts at 30 %, "< 1 %" is never warned', () => {
    const levels = thresholds(0.7, 0.5, 0.3);
    expect(warningLevelFor(levels, 0.2995)).toBe('yellow');
    expect(warningLevelFor(levels, 0.2944)).toBe('none');
    // An artefact whose yellow line sits at 0.2 % (as the old demo model's did) warns nobody shown "< 1 %".
    const tiny = thresholds(0.33, 0.026, 0.002);
    expect(warningLevelFor(tiny, 0.004)).toBe('none');
    expect(warningLevelFor(tiny, 0.012)).toBe('yellow');
  });

  it('start at a whole percent of at least 1 % when the model is sure of nearly everyone', () => {
    const probabilities = Float64Array.from({ length: 2000 }, (_, i) => (i < 100 ? 0.003 + i / 100_000 : 0.0001));
    const labels = Uint8Array.from({ length: 2000 }, (_, i) => (i < 60 ? 1 : 0));
    const chosen = chooseWarningThresholds(probabilities, labels, DEFAULT_PRECISION_TARGETS);
    for (const level of [chosen.red, chosen.orange, chosen.yellow]) {
      if (level === null) continue;
      expect(level.probability).toBeGreaterThanOrEqual(0.01);
      expect(Number.isInteger(Math.round(level.probability * 1e6) / 1e4)).toBe(true);
    }
  });
});

describe('risk reasons', () => {
  const attribution = (feature: string, value: number | string, effect: number) => ({ code: 'feature_contribution', params: { feature, value, effect } });

  it('name only what adds at least a percentage point and reads as a risk', () => {
    const reasons = materialRiskReasons(
      [
        attribution('complaints_30d', 3, 1.2),
        attribution('arpu_trend_3m', 0, 0.4), // "ARPU change 0 %" is not a risk in words
        attribution('network_issues_90d', 0, 0.3),
        attribution('usage_trend_3m', -40, 0.02), // a real fall, but it barely moves this customer's risk
        attribution('contract_days_left', '', 0.5),
      ],
      0.3,
      3,
    );
    expect(reasons).toEqual([
      { code: 'complaints_30d', params: { count: 3 } },
      { code: 'no_contract', params: {} },
    ]);
  });

  it('give spend and plan fee as money, not as "feature = number"', () => {
    expect(materialRiskReasons([attribution('arpu_3m', 9.43, 0.8), attribution('monthly_fee', 19, 0.5)], 0.3, 3)).toEqual([
      { code: 'arpu_3m', params: { arpu: 9.43 } },
      { code: 'monthly_fee', params: { yuan: 19 } },
    ]);
  });

  it('say "no marketing consent" as a fact, as the contact policy does; other values keep the generic attribution', () => {
    expect(materialRiskReasons([attribution('marketing_consent', 'no', 0.8)], 0.3, 3)).toEqual([{ code: 'no_marketing_consent', params: {} }]);
    expect(materialRiskReasons([attribution('marketing_consent', 'yes', 0.8)], 0.3, 3)).toEqual([attribution('marketing_consent', 'yes', 0.8)]);
  });

  it('are none for a customer shown at "< 1 %": nothing can add a percentage point there', () => {
    expect(probabilityAddedBy(0.008, 3)).toBeLessThan(MATERIAL_PROBABILITY_POINTS);
    expect(materialRiskReasons([attribution('complaints_30d', 2, 3)], 0.008, 3)).toEqual([]);
  });
});

describe('the demo book and the model it trains', () => {
  const scoring = buildDemoScoring(NOW, 5000);
  const { book, scores, bundle } = scoring;
  const model = bundle.model;
  const active = book.flatMap((customer, i) => (customer.status === 'active' ? [{ customer, score: scores[i]! }] : []));

  it('loses 1-3 % of customers a month, with a long-tailed risk', () => {
    const monthly = (book.length - active.length) / book.length / 11;
    expect(monthly).toBeGreaterThan(0.01);
    expect(monthly).toBeLessThan(0.03);
    const probabilities = active.map(({ score }) => score.churnProbability).sort((a, b) => a - b);
    const quantile = (q: number) => probabilities[Math.floor(q * (probabilities.length - 1))]!;
    expect(quantile(0.99)).toBeGreaterThan(4 * quantile(0.5));
    expect(quantile(0.1)).toBeGreaterThan(0.005);
  });

  it('gives every active customer the warning level of the probability shown, and material risk reasons only', () => {
    for (const { customer, score } of active) {
      expect(score.warningLevel, customer.id).toBe(warningLevelFor(model.thresholds, score.churnProbability));
      if (shownPercent(score.churnProbability) === 0) expect(score.warningLevel, customer.id).toBe('none');
      for (const reason of score.topReasons) expect(readsAsRisk(reason), `${customer.id} ${JSON.stringify(reason)}`).toBe(true);
    }
    expect(new Set(active.map(({ score }) => score.warningLevel))).toEqual(new Set(['red', 'orange', 'yellow', 'none']));
  });

  /** The five features with the largest mean |SHAP| over these customers' scores. */
  function topFiveDrivers(customers: readonly Customer[]): string[] {
    const items = withSignals(customers.slice(0, 1500), NOW);
    const scorer = createBatchScorer(model);
    const features = scorer.encode(customerFeatureRows(items));
    const contributions = new Float64Array(features.width);
    const total = new Float64Array(features.width);
    for (let row = 0; row < features.rows; row++) {
      scorer.compiled.contributions(features.values, row * features.width, contributions);
      contributions.forEach((c, j) => (total[j] = total[j]! + Math.abs(c)));
    }
    const names = model.preprocessing.columns.map((c) => c.name);
    return [...total.keys()]
      .sort((a, b) => total[b]! - total[a]!)
      .slice(0, 5)
      .map((j) => names[j]!);
  }

  // Over the 90 days its probability speaks of, the contract and tenure move everyone's risk, while
  // complaints and faults move only the few who have them: over the whole book complaints rank seventh
  // (mean |SHAP| about 0.05 against 0.5 for the contract's days left), so each is ranked over the
  // customers who have it on record, for whom the card would name it.
  it('learns complaints and network faults among its top five drivers for the customers who have them', () => {
    const complained = topFiveDrivers(active.filter(({ customer }) => customer.complaints90d > 0).map(({ customer }) => customer));
    expect(
      complained.some((name) => name === 'complaints_30d' || name === 'complaints_90d'),
      complained.join(),
    ).toBe(true);
    const faulted = topFiveDrivers(active.filter(({ customer }) => customer.networkIssues90d > 0).map(({ customer }) => customer));
    expect(faulted, faulted.join()).toContain('network_issues_90d');
  });

  it('scores a customer higher after three complaints, and names the complaints', () => {
    const calm = active.filter(({ customer, score }) => customer.complaints30d === 0 && score.warningLevel === 'none').slice(0, 50);
    expect(calm.length).toBe(50);
    for (const { customer } of calm) {
      const before = rescoreCustomer(customer, bundle, NOW);
      const after = rescoreCustomer(withCustomerEvents(customer, ['complaint', 'complaint', 'complaint']), bundle, NOW);
      expect(after.churnProbability, customer.id).toBeGreaterThan(before.churnProbability);
      expect(after.warningLevel).toBe(warningLevelFor(model.thresholds, after.churnProbability));
      if (after.warningLevel !== 'none')
        expect(
          after.topReasons.map((r) => r.code),
          customer.id,
        ).toContain('complaints_30d');
    }
  });

  it('draws leavers from a hazard that rises with complaints and faults and falls under contract', () => {
    const quiet = {
      complaints30d: 0,
      networkIssues90d: 0,
      arpuTrend3m: 0,
      usageTrend3m: 0,
      contractDaysLeft: 300,
      tenureMonths: 36,
      priceSensitivePlan: false,
      competitorOffer: false,
    };
    const base = monthlyChurnHazard(quiet);
    expect(base).toBeGreaterThan(0.003);
    expect(base).toBeLessThan(0.01);
    expect(monthlyChurnHazard({ ...quiet, complaints30d: 3 })).toBeGreaterThan(5 * base);
    expect(monthlyChurnHazard({ ...quiet, networkIssues90d: 4 })).toBeGreaterThan(4 * base);
    expect(monthlyChurnHazard({ ...quiet, contractDaysLeft: null })).toBeGreaterThan(2 * base);
  });
});
