// Training examples must look like what the model will see: an active customer's recent
// history. A churned customer's record ends in empty months after they left, so their
// example is rebuilt as of the day they left: the months before churning, assessed then.
// A customer who stayed is assessed at one past month of their series too (drawn from their
// id), so leavers and stayers are spread over the same months: a stayer assessed only today
// would differ from the leavers by the date alone (a fixed contract end further off, a longer
// tenure), and the model would learn the date instead of the customer.
import type { Customer } from '../contract/entities';
import { wholeMonthsBetween } from '../domain/dates';
import { uniformFromString } from '../offers/exploration-seed';
import { customerSignals } from './customer-signals';
import type { SignalledCustomer } from './score-book';

/** Drops the empty months after churn and pads the front with the oldest active month. */
function shiftToLastActive(series: readonly number[], lastActive: number): number[] {
  const kept = series.slice(0, lastActive + 1);
  const pad = Array.from({ length: series.length - kept.length }, () => kept[0] ?? 0);
  return [...pad, ...kept];
}

/** The customer's monthly series cut after month `lastMonth` (an index into them), padded at the front. */
export function withSeriesEndingAt(customer: Customer, lastMonth: number): Customer {
  return {
    ...customer,
    arpu: shiftToLastActive(customer.arpu, lastMonth),
    dataUsageGb: shiftToLastActive(customer.dataUsageGb, lastMonth),
    voiceMinutes: shiftToLastActive(customer.voiceMinutes, lastMonth),
  };
}

/** A uniform number in [0, 1) fixed by the customer id (hashed as the control groups are drawn, under its own salt). */
const assessedMonthDraw = (customerId: string) => uniformFromString(`training-month\u0000${customerId}`);

/** The same moment `months` calendar months earlier. */
function monthsBefore(now: Date, months: number): Date {
  const then = new Date(now);
  then.setUTCMonth(then.getUTCMonth() - months);
  return then;
}

/**
 * A customer who stayed, as they stood `monthsBack` months ago (0 to the months of their series and
 * of their tenure): their series cut that many months back and assessed that day. The record keeps
 * only today's complaint and fault counts, so those stay as they are.
 */
function asStayer(customer: Customer, now: Date): SignalledCustomer {
  const monthsBack = Math.floor(assessedMonthDraw(customer.id) * Math.min(customer.arpu.length - 1, wholeMonthsBetween(customer.joinDate, now)));
  const then = withSeriesEndingAt(customer, customer.arpu.length - 1 - monthsBack);
  return { customer: then, signals: customerSignals(then, monthsBefore(now, monthsBack)) };
}

export function asTrainingExample(customer: Customer, now: Date): SignalledCustomer {
  if (customer.status !== 'churned' || customer.churnDate === null) return asStayer(customer, now);
  const activity = customer.arpu.map((a, i) => a + (customer.dataUsageGb[i] ?? 0) + (customer.voiceMinutes[i] ?? 0));
  const asLeft = withSeriesEndingAt(
    customer,
    Math.max(
      0,
      activity.findLastIndex((value) => value > 0),
    ),
  );
  return { customer: asLeft, signals: customerSignals(asLeft, new Date(`${customer.churnDate}T00:00:00Z`)) };
}
