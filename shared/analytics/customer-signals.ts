// Behaviour signals read off a customer record: the inputs the lifecycle rules, the value
// model and the churn features share, computed in one place.
import type { Customer } from '../contract/entities';
import { daysBetween, wholeMonthsBetween } from '../domain/dates';

export interface CustomerSignals {
  tenureMonths: number;
  arpu3m: number;
  arpu12m: number;
  /** Last 3 months against the 3 before, percent (negative = falling). */
  arpuTrend3m: number;
  /** Last 6 months against the 6 before, percent. */
  arpuTrend6m: number;
  dataTrend3m: number;
  voiceTrend3m: number;
  /** Days until the contract ends (negative once it has ended); null without a contract. */
  contractDaysLeft: number | null;
  /** Months since the last month with any usage (0 = used this month). */
  monthsSinceLastUse: number;
  /** Average monthly activity: voice minutes + 100 per GB of data, a single usage-frequency measure. */
  monthlyActivity: number;
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Relative change, percent, of the mean of the last `window` months against the `window` before. */
export function windowTrendPercent(series: readonly number[], window: number): number {
  const recent = mean(series.slice(-window));
  const before = mean(series.slice(-2 * window, -window));
  return before === 0 ? (recent > 0 ? 100 : 0) : Math.round(((recent - before) / before) * 100);
}

export function customerSignals(customer: Customer, now: Date): CustomerSignals {
  const lastUsed = customer.dataUsageGb.map((gb, i) => gb + (customer.voiceMinutes[i] ?? 0)).findLastIndex((use) => use > 0);
  return {
    tenureMonths: wholeMonthsBetween(customer.joinDate, now),
    arpu3m: round2(mean(customer.arpu.slice(-3))),
    arpu12m: round2(mean(customer.arpu)),
    arpuTrend3m: windowTrendPercent(customer.arpu, 3),
    arpuTrend6m: windowTrendPercent(customer.arpu, 6),
    dataTrend3m: windowTrendPercent(customer.dataUsageGb, 3),
    voiceTrend3m: windowTrendPercent(customer.voiceMinutes, 3),
    contractDaysLeft: customer.contractEnd === null ? null : -daysBetween(customer.contractEnd, now),
    monthsSinceLastUse: lastUsed < 0 ? customer.arpu.length : customer.arpu.length - 1 - lastUsed,
    monthlyActivity: round2(mean(customer.voiceMinutes) + 100 * mean(customer.dataUsageGb)),
  };
}
