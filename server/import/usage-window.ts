// The customer document carries the last 12 months of ARPU, data and voice (oldest first). Monthly
// bills live in their own server table; the document's window is derived from them and written
// only when what the desk reads off it changes materially. A month close then shifts every
// window by a month, but for a customer whose spend and use are steady nothing the desk shows
// moves, so nothing is re-published: desks download the customers whose behaviour changed.
// The price: a steady customer's window may lag the table by some months, within the tolerances
// below (and the batch scores read the same document, so desk and server still agree).
import type { Customer } from '../../shared/contract/entities';
import { customerSignals, type CustomerSignals } from '../../shared/analytics/customer-signals';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import { decideLifecycleStage } from '../../shared/analytics/lifecycle/lifecycle-stage';

export const WINDOW_MONTHS = 12;
/** Yuan, or this share of the amount when larger. */
const MONEY_TOLERANCE = { absolute: 1, relative: 0.05 };
/** Percentage points of a trend. */
const TREND_TOLERANCE = 5;
const ACTIVITY_TOLERANCE = 0.05;

export interface UsageMonth {
  month: string;
  arpu: number;
  dataGb: number;
  voiceMinutes: number;
}

/** The 12 months ending with `end` (YYYY-MM), oldest first. */
export function windowMonths(end: string): string[] {
  const [year, month] = end.split('-').map(Number) as [number, number];
  return Array.from({ length: WINDOW_MONTHS }, (_, i) => {
    const date = new Date(Date.UTC(year, month - WINDOW_MONTHS + i, 1));
    return date.toISOString().slice(0, 7);
  });
}

/** The customer's series from their bills; a month without a bill counts as no spend and no use. */
export function withUsageWindow(customer: Customer, usage: readonly UsageMonth[], end: string): Customer {
  const byMonth = new Map(usage.map((u) => [u.month, u]));
  const months = windowMonths(end).map((m) => byMonth.get(m));
  return {
    ...customer,
    arpu: months.map((u) => u?.arpu ?? 0),
    dataUsageGb: months.map((u) => u?.dataGb ?? 0),
    voiceMinutes: months.map((u) => u?.voiceMinutes ?? 0),
  };
}

const moneyMoved = (a: number, b: number) =>
  Math.abs(a - b) > Math.max(MONEY_TOLERANCE.absolute, MONEY_TOLERANCE.relative * Math.max(Math.abs(a), Math.abs(b)));
const trendMoved = (a: number, b: number) => Math.abs(a - b) > TREND_TOLERANCE;

function stageKey(customer: Customer, signals: CustomerSignals): string {
  const decision = decideLifecycleStage(customer, signals, null, DEFAULT_LIFECYCLE_CONFIG);
  return [decision.stage, ...decision.reasons.map((r) => r.code)].join(' ');
}

/** Whether the desk would see a different customer: stage or its reasons, spend, trends, last use. */
export function usageChangedMaterially(before: Customer, after: Customer, now: Date): boolean {
  const a = customerSignals(before, now);
  const b = customerSignals(after, now);
  return (
    stageKey(before, a) !== stageKey(after, b) ||
    moneyMoved(a.arpu3m, b.arpu3m) ||
    moneyMoved(a.arpu12m, b.arpu12m) ||
    trendMoved(a.arpuTrend3m, b.arpuTrend3m) ||
    trendMoved(a.arpuTrend6m, b.arpuTrend6m) ||
    trendMoved(a.dataTrend3m, b.dataTrend3m) ||
    trendMoved(a.voiceTrend3m, b.voiceTrend3m) ||
    a.monthsSinceLastUse !== b.monthsSinceLastUse ||
    Math.abs(a.monthlyActivity - b.monthlyActivity) > ACTIVITY_TOLERANCE * Math.max(a.monthlyActivity, b.monthlyActivity)
  );
}
