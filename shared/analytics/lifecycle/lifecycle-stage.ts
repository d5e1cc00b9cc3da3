// Decides the lifecycle stage (A–E) from behaviour over time, with the reasons that made the
// decision, in the order the rules are checked: churned, decline signals, acquisition,
// growth, maturity. Thresholds come from the operator's LifecycleConfig.
import type { Customer, LifecycleStage, Reason } from '../../contract/entities';
import { shownPercent } from '../../domain/probability';
import type { CustomerSignals } from '../customer-signals';
import type { LifecycleConfig } from './lifecycle-config';

export interface StageDecision {
  stage: LifecycleStage;
  reasons: Reason[];
  configVersion: string;
}

/** Every decline signal that fires, strongest evidence first. */
function declineSignals(customer: Customer, s: CustomerSignals, churnProbability: number | null, c: LifecycleConfig): Reason[] {
  const d = c.decline;
  const reasons: Reason[] = [];
  if (churnProbability !== null && churnProbability >= d.churnProbability)
    reasons.push({ code: 'churn_risk', params: { pct: shownPercent(churnProbability) } });
  if (s.arpuTrend3m <= -d.arpuDropPct3m) reasons.push({ code: 'arpu_trend_3m', params: { pct: s.arpuTrend3m } });
  else if (s.arpuTrend6m <= -d.arpuDropPct6m) reasons.push({ code: 'arpu_trend_6m', params: { pct: s.arpuTrend6m } });
  if (Math.min(s.dataTrend3m, s.voiceTrend3m) <= -d.usageDropPct3m)
    reasons.push({ code: 'usage_trend_3m', params: { pct: Math.min(s.dataTrend3m, s.voiceTrend3m) } });
  if (customer.complaints30d >= d.complaints30d) reasons.push({ code: 'complaints_30d', params: { count: customer.complaints30d } });
  if (customer.networkIssues90d >= d.networkIssues90d) reasons.push({ code: 'network_issues_90d', params: { count: customer.networkIssues90d } });
  if (s.contractDaysLeft !== null && s.contractDaysLeft >= 0 && s.contractDaysLeft <= d.contractEndsWithinDays && reasons.length > 0)
    reasons.push({ code: 'contract_ends_in_days', params: { days: s.contractDaysLeft } });
  return reasons;
}

export function decideLifecycleStage(customer: Customer, signals: CustomerSignals, churnProbability: number | null, config: LifecycleConfig): StageDecision {
  const decided = (stage: LifecycleStage, reasons: Reason[]) => ({ stage, reasons, configVersion: config.version });
  if (customer.status === 'churned') return decided('E', [{ code: 'churned_on', params: { date: customer.churnDate ?? '' } }]);

  const decline = declineSignals(customer, signals, churnProbability, config);
  if (decline.length > 0) return decided('D', decline.slice(0, 3));

  if (signals.tenureMonths < config.acquisitionMonths) return decided('A', [{ code: 'tenure_months', params: { months: signals.tenureMonths } }]);

  const usageTrend = Math.max(signals.dataTrend3m, signals.voiceTrend3m);
  if (signals.arpuTrend3m >= config.growth.arpuRisePct || usageTrend >= config.growth.usageRisePct) {
    const reasons: Reason[] = [];
    if (signals.arpuTrend3m >= config.growth.arpuRisePct) reasons.push({ code: 'arpu_trend_3m', params: { pct: signals.arpuTrend3m } });
    if (usageTrend >= config.growth.usageRisePct) reasons.push({ code: 'usage_trend_3m', params: { pct: usageTrend } });
    return decided('B', reasons);
  }
  if (signals.tenureMonths < config.maturityMinTenureMonths)
    return decided('B', [
      { code: 'tenure_months', params: { months: signals.tenureMonths } },
      { code: 'below_maturity_tenure', params: { months: config.maturityMinTenureMonths } },
    ]);
  return decided('C', [
    { code: 'tenure_months', params: { months: signals.tenureMonths } },
    { code: 'stable_spend', params: { arpu: signals.arpu3m } },
  ]);
}
