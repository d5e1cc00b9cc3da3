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

/** The mean of values[from, to), summed left to right; loops, not slices: signals are read on every ring. */
function meanOf(values: readonly number[], from = 0, to = values.length): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += values[i]!;
  return sum / (to - from);
}
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Relative change, percent, of the mean of the last `window` months against the `window` before. */
export function windowTrendPercent(series: readonly number[], window: number): number {
  const end = series.length;
  const recent = meanOf(series, Math.max(end - window, 0), end);
  const before = meanOf(series, Math.max(end - 2 * window, 0), Math.max(end - window, 0));
  return before === 0 ? (recent > 0 ? 100 : 0) : Math.round(((recent - before) / before) * 100);
}

/** The index of the last month with any data or voice use, or -1. */
function lastMonthUsed(customer: Customer): number {
  for (let i = customer.dataUsageGb.length - 1; i >= 0; i -= 1) if (customer.dataUsageGb[i]! + (customer.voiceMinutes[i] ?? 0) > 0) return i;
  return -1;
}

export function customerSignals(customer: Customer, now: Date): CustomerSignals {
  const lastUsed = lastMonthUsed(customer);
  const months = customer.arpu.length;
  return {
    tenureMonths: wholeMonthsBetween(customer.joinDate, now),
    arpu3m: round2(meanOf(customer.arpu, Math.max(months - 3, 0))),
    arpu12m: round2(meanOf(customer.arpu)),
    arpuTrend3m: windowTrendPercent(customer.arpu, 3),
    arpuTrend6m: windowTrendPercent(customer.arpu, 6),
    dataTrend3m: windowTrendPercent(customer.dataUsageGb, 3),
    voiceTrend3m: windowTrendPercent(customer.voiceMinutes, 3),
    contractDaysLeft: customer.contractEnd === null ? null : -daysBetween(customer.contractEnd, now),
    monthsSinceLastUse: lastUsed < 0 ? months : months - 1 - lastUsed,
    monthlyActivity: round2(meanOf(customer.voiceMinutes) + 100 * meanOf(customer.dataUsageGb)),
  };
}
