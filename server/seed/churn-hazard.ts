// The demo book's ground truth: the monthly probability that a customer leaves, given what an
// operator could see about them that month (and one thing it cannot: a competitor's offer).
// The generator draws every leaver from it, so the churn model trained on the book has real
// drivers to find, in the proportions written here (README: "How the demo book's customers leave").

import type { Customer, OfferKind } from '../../shared/contract/entities';
import type { CustomerSignals } from '../../shared/analytics/customer-signals';

/** Cheap plans (prepaid-like, 19 and 39 yuan): their customers compare prices. */
export const PRICE_SENSITIVE_PLANS: ReadonlySet<string> = new Set(['BASIC19', 'SMART39']);
/** Monthly chance that a competitor courts a customer, by plan. */
export const COMPETITOR_OFFER_CHANCE = { priceSensitive: 0.05, other: 0.025 } as const;

export interface HazardInputs {
  complaints30d: number;
  networkIssues90d: number;
  /** Percent, last 3 months against the 3 before (negative = falling). */
  arpuTrend3m: number;
  /** Percent, data and voice together, last 3 months against the 3 before. */
  usageTrend3m: number;
  /** Days until the contract ends (negative once ended); null without a contract. */
  contractDaysLeft: number | null;
  tenureMonths: number;
  /** Cheap plans (prepaid-like, 19 and 39 yuan): their customers compare prices. */
  priceSensitivePlan: boolean;
  /** A competitor is courting the customer this month (not in the operator's data). */
  competitorOffer: boolean;
}

/** About 0.6 % a month for a content, contracted customer of a few years (e^-0.5 of this). */
const BASE_MONTHLY_HAZARD = 0.01;
const MAX_MONTHLY_HAZARD = 0.6;

/**
 * Log-hazard terms (multipliers e^term on the base rate). Complaints and network faults are
 * capped: the fifth complaint says little the fourth did not.
 */
export const HAZARD_TERMS = {
  perComplaint30d: 0.7,
  maxComplaints30d: 4,
  perNetworkIssue90d: 0.45,
  maxNetworkIssues90d: 6,
  /** Per 10 % of ARPU lost over 3 months. */
  per10PctArpuDrop: 0.2,
  /** Per 10 % of usage lost over 3 months. */
  per10PctUsageDrop: 0.15,
  noContract: 0.5,
  contractEnded: 0.7,
  contractEndsWithin60Days: 0.9,
  inContract: -0.5,
  priceSensitivePlan: 0.4,
  competitorOffer: 1.4,
  firstSixMonths: 0.5,
  firstYear: 0.2,
  fiveYearsOrMore: -0.3,
} as const;

export function monthlyChurnHazard(x: HazardInputs): number {
  const t = HAZARD_TERMS;
  let logHazard = Math.log(BASE_MONTHLY_HAZARD);
  logHazard += t.perComplaint30d * Math.min(x.complaints30d, t.maxComplaints30d);
  logHazard += t.perNetworkIssue90d * Math.min(x.networkIssues90d, t.maxNetworkIssues90d);
  logHazard += t.per10PctArpuDrop * Math.max(0, -x.arpuTrend3m / 10);
  logHazard += t.per10PctUsageDrop * Math.max(0, -x.usageTrend3m / 10);
  if (x.contractDaysLeft === null) logHazard += t.noContract;
  else if (x.contractDaysLeft < 0) logHazard += t.contractEnded;
  else if (x.contractDaysLeft <= 60) logHazard += t.contractEndsWithin60Days;
  else logHazard += t.inContract;
  if (x.priceSensitivePlan) logHazard += t.priceSensitivePlan;
  if (x.competitorOffer) logHazard += t.competitorOffer;
  if (x.tenureMonths < 6) logHazard += t.firstSixMonths;
  else if (x.tenureMonths < 12) logHazard += t.firstYear;
  else if (x.tenureMonths >= 60) logHazard += t.fiveYearsOrMore;
  return Math.min(MAX_MONTHLY_HAZARD, Math.exp(logHazard));
}

/**
 * A customer's hazard read off their record as it stands (the demo history lets the book's active
 * customers keep leaving): a competitor's offer is not in the record, so it enters at its monthly
 * chance, as the expected multiplier.
 */
export function monthlyChurnHazardOf(customer: Customer, signals: CustomerSignals): number {
  const priceSensitivePlan = PRICE_SENSITIVE_PLANS.has(customer.planCode);
  const inputs: HazardInputs = {
    complaints30d: customer.complaints30d,
    networkIssues90d: customer.networkIssues90d,
    arpuTrend3m: signals.arpuTrend3m,
    usageTrend3m: (signals.dataTrend3m + signals.voiceTrend3m) / 2,
    contractDaysLeft: signals.contractDaysLeft,
    tenureMonths: signals.tenureMonths,
    priceSensitivePlan,
    competitorOffer: false,
  };
  const chance = priceSensitivePlan ? COMPETITOR_OFFER_CHANCE.priceSensitive : COMPETITOR_OFFER_CHANCE.other;
  return (1 - chance) * monthlyChurnHazard(inputs) + chance * monthlyChurnHazard({ ...inputs, competitorOffer: true });
}

const MONTH_DAYS = 30.44;

/** The daily chance of leaving that compounds to the customer's monthly hazard as of `at`. */
export const dailyChurnHazardOf = (customer: Customer, signals: CustomerSignals): number =>
  1 - (1 - monthlyChurnHazardOf(customer, signals)) ** (1 / MONTH_DAYS);

/** The demo's treatment effect: an accepted offer of these kinds multiplies the hazard from then on. */
export const HAZARD_AFTER_ACCEPTING: Partial<Record<OfferKind, number>> = { retention: 0.4, care: 0.7 };
