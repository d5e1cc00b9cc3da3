// Training examples must look like what the model will see and mean what the card says: a customer
// as they stood at an as-of month, labelled by whether they left within the horizon after it (the
// card's probability and the warning levels speak of leaving within CHURN_HORIZON_DAYS). Each
// example is a customer's record cut after an as-of month of its series and assessed that day; a
// leaver is a positive at the months within the horizon before they left and a negative at earlier
// ones. Only as-of months whose horizon the series has lived through count, so a stayer's negative
// is known, and every customer present at such a month is an example of it, once: the examples are
// the book's customer-months, nothing oversampled, so their share of positives is the book's own
// churn rate over the horizon, which the calibration then keeps. A customer's examples share a
// cross-validation fold (training keys them by customer id).
import type { Customer } from '../contract/entities';
import { customerSignals } from './customer-signals';
import type { SignalledCustomer } from './score-book';

/** The horizon the churn probability speaks of: leaving within this many days of being scored. */
export const CHURN_HORIZON_DAYS = 90;
const MONTH_DAYS = 30.44;
/**
 * The horizon in the series' whole months: scored as a month closes, a customer leaves within
 * CHURN_HORIZON_DAYS if their last active month is that month or one of the next two.
 */
const HORIZON_MONTHS = Math.round(CHURN_HORIZON_DAYS / MONTH_DAYS);
/**
 * The first as-of month (an index into the series): its 3-month trends compare the last three
 * months with the three before, as a score today does; an earlier cut would read padded months as
 * a flat trend, which today's book rarely shows.
 */
const FIRST_AS_OF_MONTH = 5;

/** A customer's record and, when the book keeps them, their complaints and network faults month by month (0 = oldest, as the series). */
export interface CustomerHistory {
  customer: Customer;
  complaints?: readonly number[];
  faults?: readonly number[];
  /**
   * ARPU of the months before the series (oldest first): a record cut at an early as-of month
   * reads them in its 6-month trend instead of its oldest month repeated.
   */
  earlierArpu?: readonly number[];
  /** The contract the current one replaced, when that was signed within the series: its end, and the first month (index) of the current one. */
  replacedContract?: { end: string; untilMonth: number };
}

/** Drops the empty months after churn and pads the front with the months before the series, then the oldest known month. */
function shiftToLastActive(series: readonly number[], lastActive: number, earlier: readonly number[] = []): number[] {
  const kept = series.slice(0, lastActive + 1);
  const missing = series.length - kept.length;
  const known = earlier.slice(Math.max(0, earlier.length - missing));
  const pad = Array.from({ length: missing - known.length }, () => known[0] ?? kept[0] ?? 0);
  return [...pad, ...known, ...kept];
}

/** The customer's monthly series cut after month `lastMonth` (an index into them), padded at the front (with `earlierArpu` where known). */
export function withSeriesEndingAt(customer: Customer, lastMonth: number, earlierArpu?: readonly number[]): Customer {
  return {
    ...customer,
    arpu: shiftToLastActive(customer.arpu, lastMonth, earlierArpu),
    dataUsageGb: shiftToLastActive(customer.dataUsageGb, lastMonth),
    voiceMinutes: shiftToLastActive(customer.voiceMinutes, lastMonth),
  };
}

const sumOver = (series: readonly number[], from: number, to: number) => series.slice(Math.max(0, from), to + 1).reduce((a, b) => a + b, 0);

/**
 * The customer's record as it stood in month `month` of their series, still a customer: the series
 * cut after it and, when the history has them, the complaint and fault counts of the 30 and 90 days
 * up to it and the contract then in force. Without them the record's own counts and contract stay,
 * which describe its last month.
 */
export function recordInMonth({ customer, complaints, faults, earlierArpu, replacedContract }: CustomerHistory, month: number): Customer {
  return {
    ...withSeriesEndingAt(customer, month, earlierArpu),
    ...(replacedContract !== undefined && month < replacedContract.untilMonth ? { contractEnd: replacedContract.end } : {}),
    status: 'active',
    churnDate: null,
    ...(complaints === undefined ? {} : { complaints30d: complaints[month] ?? 0, complaints90d: sumOver(complaints, month - 2, month) }),
    ...(faults === undefined ? {} : { networkIssues90d: sumOver(faults, month - 2, month) }),
  };
}

/** The same moment `months` calendar months earlier. */
function monthsBefore(now: Date, months: number): Date {
  const then = new Date(now);
  then.setUTCMonth(then.getUTCMonth() - months);
  return then;
}

/**
 * The index of a leaver's last month with any spend or use (their record ends in empty months
 * after it), null for a customer still there. A closed account without a churn date cannot be
 * placed in time: undefined (see trainingExamples).
 */
function lastActiveMonth(customer: Customer): number | null | undefined {
  if (customer.status !== 'churned') return null;
  if (customer.churnDate === null) return undefined;
  const activity = customer.arpu.map((a, i) => a + (customer.dataUsageGb[i] ?? 0) + (customer.voiceMinutes[i] ?? 0));
  return Math.max(
    0,
    activity.findLastIndex((value) => value > 0),
  );
}

/**
 * The customer's training examples: as of each month m of their series (its last month
 * closing about `now`) at which they were a customer and whose horizon the series covers, their
 * record in month m assessed that day, churned when they left within the horizon after it.
 */
export function trainingExamples(history: CustomerHistory, now: Date): SignalledCustomer[] {
  const { customer } = history;
  const leftAfter = lastActiveMonth(customer);
  const lastMonth = customer.arpu.length - 1;
  const exampleAt = (month: number, churned: boolean) => exampleInMonth(history, month, monthsBefore(now, lastMonth - month), churned);
  // A closed account whose churn date the book does not hold (an operator's export that says only who
  // has left, such as the public churn data sets) counts once, as a leaver within the horizon after the
  // latest as-of month: dropped instead, a book of such leavers would have no positive example to learn from.
  if (leftAfter === undefined) return [exampleAt(Math.max(0, lastMonth - HORIZON_MONTHS), true)].filter((example) => example !== null);
  const examples: SignalledCustomer[] = [];
  for (let month = FIRST_AS_OF_MONTH; month <= Math.min(lastMonth - HORIZON_MONTHS, leftAfter ?? lastMonth); month++) {
    const example = exampleAt(month, leftAfter !== null && leftAfter - month < HORIZON_MONTHS);
    if (example !== null) examples.push(example);
  }
  return examples;
}

/** The customer's record in `month` assessed on `asOf`, labelled churned or not; null when they had not joined by then. */
function exampleInMonth(history: CustomerHistory, month: number, asOf: Date, churned: boolean): SignalledCustomer | null {
  if (history.customer.joinDate >= asOf.toISOString().slice(0, 10)) return null;
  const then: Customer = { ...recordInMonth(history, month), ...(churned ? { status: 'churned', churnDate: history.customer.churnDate } : {}) };
  return { customer: then, signals: customerSignals(then, asOf) };
}
