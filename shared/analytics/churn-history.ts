// Training examples must look like what the model will see: an active customer's recent
// history. A churned customer's record ends in empty months after they left, so their
// example is rebuilt as of the day they left: the months before churning, assessed then.
import type { Customer } from '../contract/entities';
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

export function asTrainingExample(customer: Customer, now: Date): SignalledCustomer {
  if (customer.status !== 'churned' || customer.churnDate === null) return { customer, signals: customerSignals(customer, now) };
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
