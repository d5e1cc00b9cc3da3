// The incremental effect of a retention programme from its randomised control group: churn of the
// treated against the held-out customers, the difference with a 95 % interval, the posterior
// probability that the programme helps, and what the customers it kept are worth. Pure: the server
// counts in SQL and hands the counts here.
import type { ProgrammeValue, ProgrammeWindow } from '../contract/supervisor-reports';
import { probabilityBeats } from '../offers/beta';

/**
 * Fewer customers than this in either group (whose window has passed) and the report says the data
 * is not enough yet: below it a 95 % interval of a churn difference spans more than ±8 points even
 * at 10 % churn, too wide to act on.
 */
export const PROGRAMME_MIN_GROUP = 100;

/** The normal quantile of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

export interface GroupCounts {
  customers: number;
  churned: number;
}

/** Wilson's score interval of a proportion k / n (n > 0). */
export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/**
 * 95 % interval of p1 − p2 by Newcombe's hybrid score method (his method 10), which keeps its
 * coverage with small groups and rates near 0, where the textbook normal interval does not.
 */
export function differenceInterval(group1: GroupCounts, group2: GroupCounts): [number, number] {
  const p1 = group1.churned / group1.customers;
  const p2 = group2.churned / group2.customers;
  const [l1, u1] = wilsonInterval(group1.churned, group1.customers);
  const [l2, u2] = wilsonInterval(group2.churned, group2.customers);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/** part / whole, or null when whole is 0 (a rate of nobody is unknown, not 0). */
export const shareOrNull = (part: number, whole: number) => (whole === 0 ? null : part / whole);

const churnGroup = (g: GroupCounts) => ({ ...g, churnRate: shareOrNull(g.churned, g.customers) });

/** One window's comparison; the difference is control − treated churn (positive: the programme keeps customers). */
export function programmeWindow(days: number, treated: GroupCounts, control: GroupCounts): ProgrammeWindow {
  const both = treated.customers > 0 && control.customers > 0;
  const posterior = (g: GroupCounts) => ({ alpha: 1 + g.churned, beta: 1 + g.customers - g.churned });
  return {
    days,
    treated: churnGroup(treated),
    control: churnGroup(control),
    difference: both ? control.churned / control.customers - treated.churned / treated.customers : null,
    interval: both ? differenceInterval(control, treated) : null,
    // P(control churn > treated churn) = P(X_control beats X_treated).
    probabilityHelps: both ? probabilityBeats(posterior(treated), posterior(control)) : null,
    enoughData: treated.customers >= PROGRAMME_MIN_GROUP && control.customers >= PROGRAMME_MIN_GROUP,
  };
}

export interface TreatedTotals {
  /** Σ monthly ARPU of the window's treated customers, yuan. */
  arpuSum: number;
  /** Offers granted and contacts made to them within the window, yuan. */
  cost: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * The value of the longest window with enough data: customers kept = difference × treated, revenue
 * kept = kept × mean ARPU × expected months, net = revenue − cost (the interval carries the
 * difference's). Null when no window has enough data.
 */
export function programmeValue(
  windows: readonly ProgrammeWindow[],
  totalsByDays: ReadonlyMap<number, TreatedTotals>,
  expectedMonthsKept: number,
): ProgrammeValue | null {
  const window = [...windows].reverse().find((w) => w.enoughData && w.difference !== null && w.interval !== null);
  if (window === undefined || window.difference === null || window.interval === null) return null;
  const totals = totalsByDays.get(window.days) ?? { arpuSum: 0, cost: 0 };
  const n = window.treated.customers;
  const arpu = totals.arpuSum / n;
  const kept = (d: number) => d * n;
  const net = (d: number) => kept(d) * arpu * expectedMonthsKept - totals.cost;
  return {
    days: window.days,
    customersKept: round2(kept(window.difference)),
    customersKeptInterval: [round2(kept(window.interval[0])), round2(kept(window.interval[1]))],
    arpu: round2(arpu),
    revenueKept: round2(kept(window.difference) * arpu * expectedMonthsKept),
    cost: round2(totals.cost),
    netValue: round2(net(window.difference)),
    netValueInterval: [round2(net(window.interval[0])), round2(net(window.interval[1]))],
  };
}
