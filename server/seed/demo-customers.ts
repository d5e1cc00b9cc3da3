// The synthetic customer book. generateDemoCustomer is pure: customer #i (and its phone) is a
// function of (i, seed) alone, so tests and the call simulator know the book without a query.
import { DAY_MS } from '../../shared/domain/operator-time';
import type { Customer, CustomerScore } from '../../shared/contract/entities';
import { assessCustomer } from '../../shared/domain/placeholder-rules';
import { BOOK_PHONE_PREFIXES, DEMO_PLANS, GIVEN_NAME_CHARACTERS, ID_REGION_CODES, PROSPECT_PHONE_PREFIXES, SURNAMES, type DemoPlan } from './reference-data';
import { COMPETITOR_OFFER_CHANCE, monthlyChurnHazard, PRICE_SENSITIVE_PLANS } from './churn-hazard';
import { seededRandom, type SeededRandom } from './seeded-random';

export const DEMO_SEED = 20261101;
export const DEMO_BOOK_SIZE = 20_000;
/** The demo world's "today": tenure, contract ends and scores are computed against it. */
export const DEMO_REFERENCE_DATE = new Date('2026-11-01T00:00:00Z');

const MONTH_DAYS = 30.44;
const SUFFIX_SPACE = 100_000_000;
/** Coprime with 10, so index → index·k mod 10^8 is a bijection: distinct indexes, distinct numbers. */
const SUFFIX_MULTIPLIER = 104_729;

const isoDaysBefore = (days: number) => new Date(DEMO_REFERENCE_DATE.getTime() - days * DAY_MS).toISOString().slice(0, 10);
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

export function demoCustomerId(index: number): string {
  return `CUS${String(index + 1).padStart(7, '0')}`;
}

/** The phone of customer #index; unique per index below 10^8. */
export function demoPhone(index: number, seed: number = DEMO_SEED): string {
  const prefix = BOOK_PHONE_PREFIXES[index % BOOK_PHONE_PREFIXES.length] ?? '138';
  const suffix = (index * SUFFIX_MULTIPLIER + (seed % SUFFIX_SPACE)) % SUFFIX_SPACE;
  return `${prefix}${String(suffix).padStart(8, '0')}`;
}

/** A mobile number that is certainly not in the demo book (a prospect caller). */
export function prospectPhone(random: SeededRandom): string {
  return `${random.pick(PROSPECT_PHONE_PREFIXES)}${String(random.int(0, SUFFIX_SPACE - 1)).padStart(8, '0')}`;
}

function weighted<T>(random: SeededRandom, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.float(0, total);
  for (const [value, w] of entries) {
    roll -= w;
    if (roll < 0) return value;
  }
  const last = entries.at(-1);
  if (last === undefined) throw new RangeError('weighted() needs at least one entry');
  return last[0];
}

/** Synthetic 18-character resident ID: region, birth date, sequence, ISO 7064 MOD 11-2 check. */
function syntheticIdNumber(random: SeededRandom): string {
  const birth = isoDaysBefore(random.int(18 * 365, 75 * 365)).replaceAll('-', '');
  const body = `${random.pick(ID_REGION_CODES)}${birth}${String(random.int(0, 999)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (weights[i] ?? 0), 0);
  return body + ('10X98765432'[sum % 11] ?? '0');
}

function chineseName(random: SeededRandom): string {
  const given = Array.from({ length: random.chance(0.7) ? 2 : 1 }, () => random.pick(GIVEN_NAME_CHARACTERS)).join('');
  return random.pick(SURNAMES) + given;
}

/**
 * Spend and usage over the year: month m (0 = oldest, 11 = latest) as a multiple of the customer's
 * base. A change (a fall as the customer drifts away, or a rise) starts in some month and takes
 * about four months; most customers stay flat.
 */
function spendShape(random: SeededRandom): (month: number) => number {
  const roll = random.float(0, 1);
  if (roll >= 0.4) return () => 1;
  const from = random.int(1, 11);
  const change = roll < 0.2 ? -random.float(0.15, 0.5) : random.float(0.15, 0.5);
  return (m) => (m < from ? 1 : 1 + change * Math.min(1, (m - from + 1) / 4));
}

/** Poisson(mean) by inversion; means here are small (at most a few events a month). */
function poisson(random: SeededRandom, mean: number): number {
  const u = random.float(0, 1);
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (u > cumulative && k < 30) {
    k += 1;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The 3-month trend (percent) as the churn model sees month m: the last 3 months up to m against
 * the 3 before, months before the window reading as the oldest one (as shared/analytics/churn-history.ts
 * rebuilds a leaver's record); the same arithmetic as windowTrendPercent, without the copies.
 */
function trendAt(series: readonly number[], m: number): number {
  const at = (k: number) => series[Math.max(0, k)] ?? 0;
  const recent = (at(m) + at(m - 1) + at(m - 2)) / 3;
  const before = (at(m - 3) + at(m - 4) + at(m - 5)) / 3;
  return before === 0 ? (recent > 0 ? 100 : 0) : Math.round(((recent - before) / before) * 100);
}

/**
 * Customer #index: who they are, then their last twelve months lived month by month (demoCustomerLife). Each month
 * brings complaints and network faults (Poisson, at the customer's own long-tailed rates), spend
 * and usage; at the end of each month the customer leaves with the ground-truth hazard of what
 * that month looked like (churn-hazard.ts). A leaver's record ends with the month they left.
 */
export function generateDemoCustomer(index: number, seed: number = DEMO_SEED): Customer {
  return demoCustomerLife(index, seed).customer;
}

/**
 * Customer #index with the complaints and network faults of each of their twelve months (0 = oldest),
 * which the record only sums, and what came before those months as far as the training examples read it.
 */
export interface DemoCustomerLife {
  customer: Customer;
  complaints: readonly number[];
  faults: readonly number[];
  /** ARPU of the EARLIER_MONTHS before month 0 (shared/analytics/churn-history.ts, CustomerHistory). */
  earlierArpu: readonly number[];
  /** The contract the current one replaced, when that was signed within the twelve months. */
  replacedContract?: { end: string; untilMonth: number };
}

/** A 6-month ARPU trend as of month 5, the first as-of month of the training examples, reaches six months before month 0. */
const EARLIER_MONTHS = 6;
/** Mixes the earlier months' seed away from the customer's, so the customer's own draws (and the book) stay as they are. */
const EARLIER_SEED_SALT = 0x3a71e5;
/** Demo contracts run 24 months. */
const CONTRACT_DAYS = 730;

export function demoCustomerLife(index: number, seed: number = DEMO_SEED): DemoCustomerLife {
  const random = seededRandom(seed, index);
  const plan: DemoPlan = weighted(
    random,
    DEMO_PLANS.map((p) => [p, p.weight] as const),
  );
  const priceSensitivePlan = PRICE_SENSITIVE_PLANS.has(plan.code);
  const tenureDays = random.chance(0.12) ? random.int(3, 175) : random.int(185, 3650);
  const joinDate = isoDaysBefore(tenureDays);

  // Long tails: most customers rarely complain or see a fault; a few do every month.
  const unhappy = random.chance(0.15);
  const complaintRate = unhappy ? random.float(0.25, 1.0) : random.float(0, 0.04);
  const networkRate = random.chance(0.12) ? random.float(0.3, 1.2) : random.float(0, 0.05);
  const shape = spendShape(random);

  // Days from the reference date to the contract's end (negative: ended), null without one.
  let contractDaysLeft: number | null;
  const contractRoll = random.float(0, 1);
  if (tenureDays < 180) contractDaysLeft = random.pick([365, 730]) - tenureDays;
  else if (contractRoll < 0.3) contractDaysLeft = null;
  else if (contractRoll < 0.45) contractDaysLeft = -random.int(1, Math.min(400, tenureDays - 1));
  else if (contractRoll < 0.6) contractDaysLeft = random.int(0, 60);
  else contractDaysLeft = random.int(61, CONTRACT_DAYS);

  const arpuBase = plan.monthlyFee * random.float(0.85, 1.25);
  const dataBase = plan.dataGb * random.float(0.3, 1.1);
  const voiceBase = plan.voiceMinutes * random.float(0.2, 0.9);
  const arpu = new Array<number>(12).fill(0);
  const dataUsageGb = new Array<number>(12).fill(0);
  const voiceMinutes = new Array<number>(12).fill(0);
  const complaints = new Array<number>(12).fill(0);
  const faults = new Array<number>(12).fill(0);
  /** Days before the reference date at which month m ends. */
  const monthEndDaysAgo = (m: number) => Math.round((11 - m) * MONTH_DAYS);
  let lastMonth = 11;
  let churnDaysAgo: number | null = null;

  for (let m = 0; m < 12; m++) {
    if (tenureDays <= monthEndDaysAgo(m)) continue;
    const noise = () => random.float(0.95, 1.05);
    arpu[m] = round(arpuBase * shape(m) * noise(), 2);
    dataUsageGb[m] = round(dataBase * shape(m) ** 1.5 * noise(), 1);
    voiceMinutes[m] = round(voiceBase * shape(m) * noise(), 0);
    complaints[m] = poisson(random, complaintRate);
    faults[m] = poisson(random, networkRate);
    // Leaving after the last month would be after the reference date: that is the future.
    if (m === 11) break;
    const hazard = monthlyChurnHazard({
      complaints30d: complaints[m] ?? 0,
      networkIssues90d: (faults[m] ?? 0) + (faults[m - 1] ?? 0) + (faults[m - 2] ?? 0),
      arpuTrend3m: trendAt(arpu, m),
      usageTrend3m: (trendAt(dataUsageGb, m) + trendAt(voiceMinutes, m)) / 2,
      contractDaysLeft: contractDaysLeft === null ? null : contractDaysLeft + monthEndDaysAgo(m),
      tenureMonths: Math.floor((tenureDays - monthEndDaysAgo(m)) / MONTH_DAYS),
      priceSensitivePlan,
      competitorOffer: random.chance(priceSensitivePlan ? COMPETITOR_OFFER_CHANCE.priceSensitive : COMPETITOR_OFFER_CHANCE.other),
    });
    if (random.chance(hazard)) {
      lastMonth = m;
      churnDaysAgo = monthEndDaysAgo(m) - random.int(1, 28);
      break;
    }
  }
  const recent = (series: readonly number[], months: number) => sum(series.slice(Math.max(0, lastMonth - months + 1), lastMonth + 1));

  const customer: Customer = {
    id: demoCustomerId(index),
    name: chineseName(random),
    phone: demoPhone(index, seed),
    idNumber: syntheticIdNumber(random),
    planCode: plan.code,
    planName: plan.name,
    monthlyFee: plan.monthlyFee,
    joinDate,
    contractEnd: contractDaysLeft === null ? null : isoDaysBefore(-contractDaysLeft),
    status: churnDaysAgo === null ? 'active' : 'churned',
    churnDate: churnDaysAgo === null ? null : isoDaysBefore(churnDaysAgo),
    arpu,
    dataUsageGb,
    voiceMinutes,
    complaints30d: recent(complaints, 1),
    complaints90d: recent(complaints, 3),
    networkIssues90d: recent(faults, 3),
    marketingConsent: random.chance(0.82),
    doNotDisturb: random.chance(0.06),
    version: 1,
  };
  // What came before, from a stream of its own. Spend before month 0 is the customer's base (changes start
  // within the year). A contract signed within the year by a customer already there replaced one that still
  // had three months or more to run (an early renewal), so in the months before it the contract bucket, and the
  // hazard drawn from it, is the same "in contract" the generator used; a contract of more than 24 months was
  // never signed.
  const earlier = seededRandom(seed ^ EARLIER_SEED_SALT, index);
  const earlierArpu = Array.from({ length: EARLIER_MONTHS }, (_, k) => {
    const m = k - EARLIER_MONTHS;
    return tenureDays <= monthEndDaysAgo(m) ? 0 : round(arpuBase * earlier.float(0.95, 1.05), 2);
  });
  const signedDaysAgo = contractDaysLeft === null ? null : CONTRACT_DAYS - contractDaysLeft;
  // The months that ended before a week after the signing ran under the contract it replaced (an as-of
  // day falls a day or two from its month's end).
  const untilMonth = signedDaysAgo === null || signedDaysAgo >= tenureDays ? 0 : arpu.filter((_, m) => monthEndDaysAgo(m) > signedDaysAgo - 7).length;
  const replacedContract = signedDaysAgo !== null && untilMonth > 0 ? { end: isoDaysBefore(signedDaysAgo - earlier.int(91, 365)), untilMonth } : undefined;
  return { customer, complaints, faults, earlierArpu, ...(replacedContract === undefined ? {} : { replacedContract }) };
}

/** The score the server publishes for a demo customer, assessed as of the reference date. */
export function demoScore(customer: Customer): CustomerScore {
  return {
    customerId: customer.id,
    version: 1,
    ...assessCustomer(customer, DEMO_REFERENCE_DATE),
    scoredAt: DEMO_REFERENCE_DATE.toISOString(),
  };
}
