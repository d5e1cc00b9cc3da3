// A retention programme played on a book whose truth is known: each customer's chance of leaving
// without a contact (their ground-truth hazard, handed in) and, per segment, what a retention call
// does to it, including a segment a call puts off. Pure and seeded, so it can show on known numbers
// that the control-group estimate finds the true effect, that comparing the contacted with the rest
// does not, and that uplift targeting keeps more customers per call than risk targeting.
import { customerFeatureRow } from '../analytics/customer-features';
import type { CustomerSignals } from '../analytics/customer-signals';
import { seededRandom, type SeededRandom } from '../analytics/random';
import { programmeWindow } from '../analytics/programme-effect';
import { fitCustomerUplift } from '../analytics/uplift/programme-uplift-data';
import { compileUpliftModel, type UpliftExample, type UpliftModel } from '../analytics/uplift/uplift-model';
import type { Customer } from '../contract/entities';
import type { ProgrammeArm } from '../contract/retention-programmes';
import { assignedArm } from './control-group';

/** The window the simulated programme is judged on, days. */
export const SIMULATION_WINDOW_DAYS = 90;
const MONTH_DAYS = 30.44;
/** Share of called customers who answer (as in the demo programmes' past). */
export const REACHED_SHARE = 0.7;

export type TruthSegment = 'reminded_to_leave' | 'aggrieved' | 'price_sensitive' | 'settled';

export interface SegmentTruth {
  /** P(accept) of the retention offer when the call reaches the customer. */
  pAccept: number;
  /** What the call itself does to the hazard, accepted or not (1 = nothing). */
  callFactor: number;
}

/**
 * The true effect of the retention offer per segment. Out of contract and content, a retention
 * call reminds the customer they are free to go (hazard ×1.8 from the call) and is rarely taken:
 * the harmed segment. Customers with a grievance or a cheap plan take the offer more often.
 */
export const SEGMENT_TRUTH: Record<TruthSegment, SegmentTruth> = {
  reminded_to_leave: { pAccept: 0.05, callFactor: 1.8 },
  aggrieved: { pAccept: 0.3, callFactor: 1 },
  price_sensitive: { pAccept: 0.35, callFactor: 1 },
  settled: { pAccept: 0.15, callFactor: 1 },
};

export function truthSegmentOf(customer: Customer, signals: CustomerSignals, priceSensitivePlan: boolean): TruthSegment {
  const grievance = customer.complaints90d > 0 || customer.networkIssues90d > 0;
  if (signals.contractDaysLeft !== null && signals.contractDaysLeft < 0 && !grievance) return 'reminded_to_leave';
  if (grievance) return 'aggrieved';
  return priceSensitivePlan ? 'price_sensitive' : 'settled';
}

export interface SimulatedCustomer {
  id: string;
  /** The churn model's feature cells (CUSTOMER_FEATURE_COLUMNS). */
  features: string[];
  segment: TruthSegment;
  /** True P(leaving within the window) without a call. */
  churnUncalled: number;
  /** True P(leaving within the window) when called: reached or not, accepting or not. */
  churnCalled: number;
}

/** How an accepted retention offer multiplies the hazard (the demo's ground truth hands it in). */
export interface TruthSettings {
  acceptedFactor: number;
}

/** P(leaving within the window) at a monthly hazard scaled by `factor` from day 0. */
function windowChurn(monthlyHazard: number, factor: number): number {
  const daily = 1 - (1 - monthlyHazard) ** (1 / MONTH_DAYS);
  return 1 - (1 - Math.min(1, daily * factor)) ** SIMULATION_WINDOW_DAYS;
}

/** Probability of each way a call can go, with the churn probability it leads to. */
function callBranches(monthlyHazard: number, truth: SegmentTruth, settings: TruthSettings): { p: number; churn: number }[] {
  const reached = REACHED_SHARE;
  return [
    { p: 1 - reached, churn: windowChurn(monthlyHazard, 1) },
    { p: reached * truth.pAccept, churn: windowChurn(monthlyHazard, truth.callFactor * settings.acceptedFactor) },
    { p: reached * (1 - truth.pAccept), churn: windowChurn(monthlyHazard, truth.callFactor) },
  ];
}

export function simulatedCustomer(
  customer: Customer,
  signals: CustomerSignals,
  truth: { monthlyHazard: number; priceSensitivePlan: boolean },
  settings: TruthSettings,
): SimulatedCustomer {
  const segment = truthSegmentOf(customer, signals, truth.priceSensitivePlan);
  const branches = callBranches(truth.monthlyHazard, SEGMENT_TRUTH[segment], settings);
  return {
    id: customer.id,
    features: customerFeatureRow(customer, signals),
    segment,
    churnUncalled: windowChurn(truth.monthlyHazard, 1),
    churnCalled: branches.reduce((sum, b) => sum + b.p * b.churn, 0),
  };
}

/** True uplift: how much a call lowers the customer's chance of leaving (negative: the call puts them off). */
export const trueUplift = (c: SimulatedCustomer) => c.churnUncalled - c.churnCalled;

/** The programme's call list among its treated customers. */
export type CallRule = (customer: SimulatedCustomer) => boolean;

export interface ProgrammeRun {
  /** The programme's true effect: mean over its customers of P(churn | control) − P(churn | treated). */
  trueEffect: number;
  /** Control − treated churn, with its 95 % interval (shared/analytics/programme-effect.ts). */
  estimate: number;
  interval: [number, number];
  /** The old descriptive figure: churn of the customers not called minus churn of those called. */
  descriptive: number;
  /** The true effect on the called customers, what the descriptive figure claims to show. */
  trueEffectOnCalled: number;
  examples: UpliftExample[];
}

const chance = (random: SeededRandom, p: number) => random.float() < p;

/**
 * One run: groups drawn by the shared salted hash (a fresh salt per run), the treated customers
 * on the call list called, everyone's churn drawn from the truth.
 */
export function runProgramme(population: readonly SimulatedCustomer[], controlShare: number, calls: CallRule, seed: number): ProgrammeRun {
  const programme = { id: 'simulated', salt: `simulation-${seed}`, controlShare };
  const random = seededRandom(seed);
  const counts = { treated: { customers: 0, churned: 0 }, control: { customers: 0, churned: 0 } };
  const called = { customers: 0, churned: 0, trueEffect: 0 };
  const notCalled = { customers: 0, churned: 0 };
  const examples: UpliftExample[] = [];
  for (const customer of population) {
    const arm: ProgrammeArm = assignedArm(customer.id, programme);
    const isCalled = arm === 'treated' && calls(customer);
    const churned = chance(random, isCalled ? customer.churnCalled : customer.churnUncalled);
    counts[arm].customers++;
    if (churned) counts[arm].churned++;
    const contacted = isCalled ? called : notCalled;
    contacted.customers++;
    if (churned) contacted.churned++;
    if (isCalled) called.trueEffect += trueUplift(customer);
    examples.push({ features: customer.features, arm, churned });
  }
  const window = programmeWindow(SIMULATION_WINDOW_DAYS, counts.treated, counts.control);
  const rate = (g: { customers: number; churned: number }) => (g.customers === 0 ? 0 : g.churned / g.customers);
  return {
    // What control − treated churn estimates: the call list's true uplift, spread over all the programme's customers.
    trueEffect: population.reduce((sum, c) => sum + (calls(c) ? trueUplift(c) : 0), 0) / population.length,
    estimate: window.difference ?? 0,
    interval: window.interval ?? [0, 0],
    descriptive: rate(notCalled) - rate(called),
    trueEffectOnCalled: called.customers === 0 ? 0 : called.trueEffect / called.customers,
    examples,
  };
}

export interface TargetingResult {
  /** Expected customers kept (true uplift summed over the called) per 1,000 calls. */
  keptPer1000: number;
  calls: number;
  /** Customers of the harmed segment called. */
  harmedCalled: number;
}

/** Calls up to `contacts` customers with the highest score (never one scored null) and counts what that truly keeps. */
export function targetBy(population: readonly SimulatedCustomer[], score: (i: number) => number | null, contacts: number): TargetingResult {
  const callable = population.flatMap((_, i) => (score(i) === null ? [] : [i]));
  const order = callable.sort((a, b) => (score(b) as number) - (score(a) as number) || a - b);
  const chosen = order.slice(0, contacts).map((i) => population[i] as SimulatedCustomer);
  const kept = chosen.reduce((sum, c) => sum + trueUplift(c), 0);
  return {
    keptPer1000: chosen.length === 0 ? 0 : (kept / chosen.length) * 1000,
    calls: chosen.length,
    harmedCalled: chosen.filter((c) => c.segment === 'reminded_to_leave').length,
  };
}

/**
 * The programme's randomised data after `waves` waves in which every treated customer is called
 * (fresh groups and churn each wave), and the uplift model fitted on it (null: not enough data).
 */
export function learnUplift(population: readonly SimulatedCustomer[], controlShare: number, waves: number, seed: number): UpliftModel | null {
  const examples = Array.from({ length: waves }, (_, wave) => runProgramme(population, controlShare, () => true, seed + wave).examples).flat();
  return fitCustomerUplift('simulated', examples, SIMULATION_WINDOW_DAYS);
}

export interface TargetingComparison {
  risk: TargetingResult;
  uplift: TargetingResult;
  /** Calls by the true uplift: the most any targeting could keep. */
  ceiling: TargetingResult;
  contacts: number;
}

/**
 * Risk targeting calls the customers most likely to leave, by their true churn probability (the
 * best any churn model could rank); uplift targeting calls those the fitted model expects a call
 * to keep, leaving out everyone below the model's harm threshold.
 */
export function compareTargeting(population: readonly SimulatedCustomer[], model: UpliftModel, contacts: number): TargetingComparison {
  const compiled = compileUpliftModel(model);
  const uplift = compiled.uplift(population.map((c) => c.features));
  const upliftScore = (i: number) => {
    const u = uplift[i] as number;
    return u < compiled.harmThreshold ? null : u;
  };
  return {
    contacts,
    risk: targetBy(population, (i) => (population[i] as SimulatedCustomer).churnUncalled, contacts),
    uplift: targetBy(population, upliftScore, contacts),
    ceiling: targetBy(population, (i) => trueUplift(population[i] as SimulatedCustomer), contacts),
  };
}
