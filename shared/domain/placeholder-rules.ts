// PLACEHOLDER RULES from the walking skeleton. The analytics engine (shared/analytics) now
// scores customers and shared/offers arbitrates offers; what is left here is assessCustomer,
// which only the demo fixtures (demoScore: fast valid scores for benchmarks and simulations) use.
import type { Assessment } from '../analytics/assess-customer';
import type { Customer, LifecycleStage, Reason, ValueTier, WarningLevel } from '../contract/entities';
import { customerSignals } from '../analytics/customer-signals';

export const PLACEHOLDER_MODEL_VERSION = 'placeholder-rules-1';

function churnProbability(c: Customer, arpuTrend: number, contractDays: number | null): number {
  // A hand-set logit; weights are illustrative, not fitted.
  const z =
    -2.4 +
    0.55 * c.complaints30d +
    0.2 * c.complaints90d +
    0.25 * c.networkIssues90d +
    (arpuTrend < 0 ? -arpuTrend / 12 : 0) +
    (contractDays !== null && contractDays >= 0 && contractDays <= 60 ? 0.9 : 0) +
    (c.contractEnd === null ? 0.4 : 0);
  return 1 / (1 + Math.exp(-z));
}

function warningLevelFor(p: number): WarningLevel {
  if (p >= 0.6) return 'red';
  if (p >= 0.4) return 'orange';
  if (p >= 0.25) return 'yellow';
  return 'none';
}

function valueTierFor(arpu3m: number): ValueTier {
  if (arpu3m >= 200) return 'platinum';
  if (arpu3m >= 120) return 'gold';
  if (arpu3m >= 60) return 'silver';
  return 'bronze';
}

export function assessCustomer(c: Customer, now: Date): Assessment {
  const signals = customerSignals(c, now);
  const { tenureMonths: tenure, arpuTrend3m: arpuTrend, dataTrend3m: usageTrend, contractDaysLeft: contractDays, arpu3m } = signals;
  const p = c.status === 'churned' ? 1 : churnProbability(c, arpuTrend, contractDays);

  const riskReasons: Reason[] = [];
  if (arpuTrend <= -10) riskReasons.push({ code: 'arpu_trend_3m', params: { pct: arpuTrend } });
  if (c.complaints30d > 0) riskReasons.push({ code: 'complaints_30d', params: { count: c.complaints30d } });
  if (c.networkIssues90d > 0) riskReasons.push({ code: 'network_issues_90d', params: { count: c.networkIssues90d } });
  if (contractDays !== null && contractDays >= 0 && contractDays <= 60) riskReasons.push({ code: 'contract_ends_in_days', params: { days: contractDays } });
  if (c.contractEnd === null) riskReasons.push({ code: 'no_contract', params: {} });

  let stage: LifecycleStage;
  let stageReasons: Reason[];
  if (c.status === 'churned') {
    stage = 'E';
    stageReasons = [{ code: 'churned_on', params: { date: c.churnDate ?? '' } }];
  } else if (p >= 0.4 || arpuTrend <= -15 || c.complaints30d >= 2) {
    stage = 'D';
    stageReasons = riskReasons.slice(0, 3);
    if (stageReasons.length === 0) stageReasons = [{ code: 'churn_risk', params: { pct: Math.round(p * 100) } }];
  } else if (tenure < 6) {
    stage = 'A';
    stageReasons = [{ code: 'tenure_months', params: { months: tenure } }];
  } else if (arpuTrend >= 5 || usageTrend >= 10) {
    stage = 'B';
    stageReasons = [
      { code: 'arpu_trend_3m', params: { pct: arpuTrend } },
      { code: 'usage_trend_3m', params: { pct: usageTrend } },
    ];
  } else {
    stage = 'C';
    stageReasons = [
      { code: 'tenure_months', params: { months: tenure } },
      { code: 'stable_spend', params: { arpu: arpu3m } },
    ];
  }

  const expectedMonths = c.status === 'churned' ? 0 : Math.round(36 * (1 - p));
  return {
    modelVersion: PLACEHOLDER_MODEL_VERSION,
    stage,
    stageReasons,
    valueTier: valueTierFor(arpu3m),
    clv: Math.round(arpu3m * 0.4 * expectedMonths),
    arpu3m,
    rfm: null,
    personalKeyCustomer: false,
    churnProbability: Math.round(p * 1000) / 1000,
    warningLevel: c.status === 'churned' ? 'none' : warningLevelFor(p),
    topReasons: riskReasons.slice(0, 3),
  };
}
