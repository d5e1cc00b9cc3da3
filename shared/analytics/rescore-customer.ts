// Re-scoring one customer the moment something happens during a call (a complaint logged, a
// network fault reported): the event is folded into the customer's counters and the customer is
// assessed again with the published bundle, by the same functions the server's batch run uses,
// so the desk's immediate answer and the next batch score cannot disagree.
import type { Customer, CustomerScore } from '../contract/entities';
import type { CustomerEventKind } from '../contract/customer-events';
import { estimateChurn } from './score-book';
import { assessCustomerWithModel } from './assess-customer';
import { customerSignals } from './customer-signals';
import type { ScoringBundle } from './scoring-bundle';

/** The customer as the events make them: each complaint counts in the 30- and 90-day windows. */
export function withCustomerEvents(customer: Customer, events: readonly CustomerEventKind[]): Customer {
  if (events.length === 0) return customer;
  const count = (kind: CustomerEventKind) => events.filter((e) => e === kind).length;
  const complaints = count('complaint');
  return {
    ...customer,
    complaints30d: customer.complaints30d + complaints,
    complaints90d: customer.complaints90d + complaints,
    networkIssues90d: customer.networkIssues90d + count('network_issue'),
  };
}

export function rescoreCustomer(customer: Customer, bundle: ScoringBundle, now: Date): Omit<CustomerScore, 'version'> {
  const item = { customer, signals: customerSignals(customer, now) };
  const [churn] = estimateChurn(bundle.model, [item]);
  const settings = { modelId: bundle.model.modelId, lifecycle: bundle.lifecycle, value: bundle.value, calibration: bundle.calibration };
  return { customerId: customer.id, scoredAt: now.toISOString(), ...assessCustomerWithModel(customer, item.signals, churn!, settings) };
}
