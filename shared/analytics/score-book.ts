// Scores a set of customer records with a churn model and the operator's configs: churn
// estimates, then the book calibration (RFM quintiles, CLV tiers) fitted on these same
// customers, then one assessment each. Used for the demo book at seed time and by batch
// scoring page by page (estimate → calibrate on the whole book → assess).
import { CustomerScore, type Customer } from '../contract/entities';
import { assessCustomerWithModel, valueInputs, type ChurnEstimate } from './assess-customer';
import { customerFeatureRows } from './customer-features';
import { customerSignals, type CustomerSignals } from './customer-signals';
import type { LifecycleConfig } from './lifecycle/lifecycle-config';
import type { ModelArtifact } from './model-artifact';
import { scoreRows } from './score-rows';
import { fitBookCalibration, type BookCalibration, type ValueInputs } from './value/book-calibration';
import type { ValueConfig } from './value/value-config';

const ATTRIBUTIONS_CONSIDERED = 6;

export interface SignalledCustomer {
  customer: Customer;
  signals: CustomerSignals;
}

export function withSignals(customers: readonly Customer[], now: Date): SignalledCustomer[] {
  return customers.map((customer) => ({ customer, signals: customerSignals(customer, now) }));
}

/**
 * Probabilities for everyone; attributions (exact TreeSHAP, the costly part) only for warned
 * customers, whose cards show why, and none at all when `explain` is false. Unwarned
 * customers' cards say "no risk signals".
 */
export function estimateChurn(model: ModelArtifact, items: readonly SignalledCustomer[], explain = true): ChurnEstimate[] {
  if (items.length === 0) return [];
  // More attributions than the card shows: the immaterial ones are dropped (material-reasons.ts).
  const options = explain ? { explainWarnedOnly: true, reasons: ATTRIBUTIONS_CONSIDERED } : { reasons: 0 };
  return scoreRows(model, customerFeatureRows(items), options).map(({ probability, warningLevel, reasons }) => ({ probability, warningLevel, reasons }));
}

export function bookValueInputs(items: readonly SignalledCustomer[], churn: readonly ChurnEstimate[], config: ValueConfig): ValueInputs[] {
  return items.map(({ customer, signals }, i) => valueInputs(customer, signals, churn[i]?.probability ?? 0, config));
}

export interface BookScoringSettings {
  model: ModelArtifact;
  lifecycle: LifecycleConfig;
  value: ValueConfig;
}

/** Scores for customers whose book calibration is already known (a page of a batch run). */
export function assessPage(
  items: readonly SignalledCustomer[],
  churn: readonly ChurnEstimate[],
  settings: BookScoringSettings,
  calibration: BookCalibration,
  scoredAt: string,
): CustomerScore[] {
  const analytics = { modelId: settings.model.modelId, lifecycle: settings.lifecycle, value: settings.value, calibration };
  return items.map(({ customer, signals }, i) => ({
    customerId: customer.id,
    // The server assigns the stored version; 1 is a placeholder the change log overwrites.
    version: 1,
    scoredAt,
    ...assessCustomerWithModel(customer, signals, churn[i] as ChurnEstimate, analytics),
  }));
}

/** The whole book in memory (demo seeding, tests). */
export function scoreBookInMemory(customers: readonly Customer[], settings: BookScoringSettings, now: Date) {
  const items = withSignals(customers, now);
  const churn = estimateChurn(settings.model, items);
  const calibration = fitBookCalibration(
    bookValueInputs(items, churn, settings.value).filter((_, i) => items[i]?.customer.status === 'active'),
    settings.value,
  );
  return { calibration, scores: assessPage(items, churn, settings, calibration, now.toISOString()) };
}

/** JSON with every object's keys sorted, at every depth: stored documents come back from jsonb in its own key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** What a score tells the desk: every field of the document except its stored version and when it was computed. */
const materialOf = ({ version: _version, scoredAt: _scoredAt, ...material }: CustomerScore) => canonicalJson(material);

/**
 * Whether `fresh` says anything the stored score (as read back, or null when there is none)
 * does not: any difference in any field at any depth (a reason's parameter, one RFM digit)
 * counts, so a desk never misses a material change; a stored document the contract no longer
 * reads is replaced.
 */
export function scoreChanged(stored: unknown, fresh: CustomerScore): boolean {
  const previous = CustomerScore.safeParse(stored);
  return !previous.success || materialOf(previous.data) !== materialOf(fresh);
}
