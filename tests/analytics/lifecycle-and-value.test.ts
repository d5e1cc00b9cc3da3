import { describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/contract/entities';
import { customerSignals, windowTrendPercent } from '../../shared/analytics/customer-signals';
import { DEFAULT_LIFECYCLE_CONFIG, LifecycleConfig } from '../../shared/analytics/lifecycle/lifecycle-config';
import { decideLifecycleStage } from '../../shared/analytics/lifecycle/lifecycle-stage';
import { fitBookCalibration, quintileScore, rfmScore, valueTierFor } from '../../shared/analytics/value/book-calibration';
import { lifetimeValue, monthlyRate, monthlyRetentionFromAnnualChurn } from '../../shared/analytics/value/lifetime-value';
import { DEFAULT_VALUE_CONFIG, ValueConfig } from '../../shared/analytics/value/value-config';

const NOW = new Date('2026-11-15T00:00:00Z');
const flat = (v: number) => Array.from({ length: 12 }, () => v);
function customer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'C1',
    name: '王芳',
    phone: '13812345678',
    idNumber: '110101199003071234',
    planCode: 'P129',
    planName: { zh: '畅享129', en: 'Unlimited 129' },
    monthlyFee: 129,
    joinDate: '2021-01-10',
    contractEnd: '2027-06-30',
    status: 'active',
    churnDate: null,
    arpu: flat(130),
    dataUsageGb: flat(20),
    voiceMinutes: flat(300),
    complaints30d: 0,
    complaints90d: 0,
    networkIssues90d: 0,
    marketingConsent: true,
    doNotDisturb: false,
    version: 1,
    ...overrides,
  };
}
const stageOf = (c: Customer, p: number | null = 0.1, config = DEFAULT_LIFECYCLE_CONFIG) => decideLifecycleStage(c, customerSignals(c, NOW), p, config);
const falling = (from: number, to: number) => [...Array.from({ length: 9 }, () => from), to, to, to];

describe('lifecycle stage rules', () => {
  it('says why a falling, complaining customer is in decline (ARPU 下降 23%, 2 complaints)', () => {
    const decision = stageOf(customer({ arpu: falling(100, 77), complaints30d: 2 }));
    expect(decision.stage).toBe('D');
    expect(decision.reasons).toEqual([
      { code: 'arpu_trend_3m', params: { pct: -23 } },
      { code: 'complaints_30d', params: { count: 2 } },
    ]);
    expect(decision.configVersion).toBe('lifecycle-2026.11-1');
  });
  it('puts high model risk first among the decline reasons', () => {
    expect(stageOf(customer(), 0.72).reasons[0]).toEqual({ code: 'churn_risk', params: { pct: 72 } });
  });
  it('mentions a contract that ends soon only alongside another decline signal', () => {
    expect(stageOf(customer({ contractEnd: '2026-12-01' })).stage).toBe('C');
    const d = stageOf(customer({ contractEnd: '2026-12-01', complaints30d: 3 }));
    expect(d.reasons.map((r) => r.code)).toEqual(['complaints_30d', 'contract_ends_in_days']);
  });
  it('separates acquisition, growth, developing and maturity', () => {
    expect(stageOf(customer({ joinDate: '2026-08-01' })).stage).toBe('A');
    expect(stageOf(customer({ arpu: falling(100, 110) })).stage).toBe('B');
    const developing = stageOf(customer({ joinDate: '2025-06-01' }));
    expect(developing).toMatchObject({ stage: 'B', reasons: [{ code: 'tenure_months', params: { months: 17 } }, { code: 'below_maturity_tenure' }] });
    expect(stageOf(customer()).stage).toBe('C');
    expect(stageOf(customer({ status: 'churned', churnDate: '2026-09-30' })).stage).toBe('E');
  });
  it('follows the operator config: a stricter complaint threshold changes the stage', () => {
    const strict = LifecycleConfig.parse({
      ...DEFAULT_LIFECYCLE_CONFIG,
      version: 'strict-1',
      decline: { ...DEFAULT_LIFECYCLE_CONFIG.decline, complaints30d: 1 },
    });
    expect(stageOf(customer({ complaints30d: 1 })).stage).toBe('C');
    expect(stageOf(customer({ complaints30d: 1 }), 0.1, strict)).toMatchObject({ stage: 'D', configVersion: 'strict-1' });
    expect(() => LifecycleConfig.parse({ ...DEFAULT_LIFECYCLE_CONFIG, acquisitionMonths: -1 })).toThrow();
  });
  it('computes window trends, treating growth from zero as +100%', () => {
    expect(windowTrendPercent(falling(100, 77), 3)).toBe(-23);
    expect(windowTrendPercent([...flat(0).slice(0, 9), 5, 5, 5], 3)).toBe(100);
    expect(windowTrendPercent(flat(0), 6)).toBe(0);
  });
});

describe('customer value', () => {
  it('sums discounted, retention-weighted margin exactly as the series says', () => {
    const m = 50,
      p = 0.97,
      r = 0.01,
      n = 36;
    let series = 0;
    for (let t = 1; t <= n; t++) series += (m * p ** t) / (1 + r) ** t;
    expect(lifetimeValue(m, p, r, n)).toBeCloseTo(series, 9);
  });
  it('reduces to the annuity formula when nobody leaves', () => {
    expect(lifetimeValue(100, 1, 0.01, 24)).toBeCloseTo((100 * (1 - 1 / 1.01 ** 24)) / 0.01, 9);
    expect(lifetimeValue(100, 1, 0, 24)).toBe(2400);
  });
  it('converts annual rates to monthly ones', () => {
    expect((1 + monthlyRate(0.08)) ** 12).toBeCloseTo(1.08, 12);
    expect(monthlyRetentionFromAnnualChurn(0.5) ** 12).toBeCloseTo(0.5, 12);
    expect(monthlyRetentionFromAnnualChurn(1)).toBeGreaterThan(0);
  });
  it('fits tier thresholds so the configured shares of the book land in each tier', () => {
    const book = Array.from({ length: 1000 }, (_, i) => ({ monthsSinceLastUse: i % 3, monthlyActivity: i, arpu12m: i / 10, clv: i + 1 }));
    const calibration = fitBookCalibration(book, DEFAULT_VALUE_CONFIG);
    const counts = { platinum: 0, gold: 0, silver: 0, bronze: 0 };
    for (const c of book) counts[valueTierFor(c.clv, calibration)] += 1;
    expect(counts).toEqual({ platinum: 50, gold: 150, silver: 300, bronze: 500 });
    expect(rfmScore(book[999]!, calibration)).toMatchObject({ f: 5, m: 5 });
    expect(rfmScore(book[0]!, calibration)).toMatchObject({ r: 5, f: 1, m: 1 });
  });
  it('scores quintiles 1 to 5 and never puts a worthless customer above bronze', () => {
    expect([0, 1, 2, 3, 4, 5].map((v) => quintileScore(v, [1, 2, 3, 4]))).toEqual([1, 1, 2, 3, 4, 5]);
    const calibration = fitBookCalibration([{ monthsSinceLastUse: 0, monthlyActivity: 0, arpu12m: 0, clv: 0 }], DEFAULT_VALUE_CONFIG);
    expect(valueTierFor(0, calibration)).toBe('bronze');
  });
  it('refuses tier shares that leave nobody bronze', () => {
    expect(() => ValueConfig.parse({ ...DEFAULT_VALUE_CONFIG, tierShares: { platinum: 0.5, gold: 0.3, silver: 0.3 } })).toThrow(/bronze/);
  });
});
