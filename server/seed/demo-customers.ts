// The synthetic customer book. generateDemoCustomer is pure: customer #i (and its phone) is a
// function of (i, seed) alone, so tests and the call simulator know the book without a query.
import type { Customer, CustomerScore } from '../../shared/contract/entities';
import { assessCustomer } from '../../shared/domain/placeholder-rules';
import {
  BOOK_PHONE_PREFIXES,
  DEMO_PLANS,
  GIVEN_NAME_CHARACTERS,
  ID_REGION_CODES,
  PROSPECT_PHONE_PREFIXES,
  SURNAMES,
  type DemoPlan,
} from './reference-data';
import { seededRandom, type SeededRandom } from './seeded-random';

export const DEMO_SEED = 20261101;
export const DEMO_BOOK_SIZE = 20_000;
/** The demo world's "today": tenure, contract ends and scores are computed against it. */
export const DEMO_REFERENCE_DATE = new Date('2026-11-01T00:00:00Z');

type Cohort = 'new' | 'growing' | 'stable' | 'declining' | 'churned';
const COHORT_WEIGHTS: readonly [Cohort, number][] = [
  ['new', 12],
  ['growing', 22],
  ['stable', 38],
  ['declining', 20],
  ['churned', 8],
];

const DAY_MS = 86_400_000;
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

/** Usage multiplier for month m (0 = oldest, 11 = latest) of a cohort's trajectory. */
function trajectory(cohort: Cohort, random: SeededRandom, lastActiveMonth: number): (month: number) => number {
  switch (cohort) {
    case 'growing': {
      const growth = random.float(0.25, 0.6);
      return (m) => 1 + (growth * m) / 11;
    }
    case 'declining': {
      const drop = random.float(0.2, 0.5);
      return (m) => (m < 6 ? 1 : 1 - (drop * (m - 5)) / 6);
    }
    case 'churned': {
      // Spend falls over the six months before leaving, wherever in the window that was.
      const drop = random.float(0.2, 0.5);
      return (m) => (m < lastActiveMonth - 5 ? 1 : Math.max(0, 1 - (drop * (m - lastActiveMonth + 6)) / 6));
    }
    case 'new':
    case 'stable':
      return () => 1;
  }
}

function monthlySeries(base: number, decimals: number, shape: (m: number) => number, activeInMonth: (m: number) => boolean, random: SeededRandom) {
  return Array.from({ length: 12 }, (_, m) => (activeInMonth(m) ? round(Math.max(0, base * shape(m) * random.float(0.95, 1.05)), decimals) : 0));
}

export function generateDemoCustomer(index: number, seed: number = DEMO_SEED): Customer {
  const random = seededRandom(seed, index);
  const cohort = weighted(random, COHORT_WEIGHTS);
  const plan: DemoPlan = weighted(random, DEMO_PLANS.map((p) => [p, p.weight] as const));

  const tenureDays = cohort === 'new' ? random.int(3, 175) : random.int(cohort === 'churned' ? 400 : 185, 3650);
  const churnDaysAgo = cohort === 'churned' ? random.int(15, 330) : null;
  // Month m covers roughly (12 - m) months ago; the customer contributes from joining until churning.
  const monthsAgo = (m: number) => (12 - m) * MONTH_DAYS;
  const activeInMonth = (m: number) => tenureDays >= monthsAgo(m) - MONTH_DAYS && (churnDaysAgo === null || monthsAgo(m) > churnDaysAgo);

  let lastActiveMonth = 11;
  while (lastActiveMonth > 0 && !activeInMonth(lastActiveMonth)) lastActiveMonth -= 1;
  const shape = trajectory(cohort, random, lastActiveMonth);
  const arpu = monthlySeries(plan.monthlyFee * random.float(0.85, 1.25), 2, shape, activeInMonth, random);
  const dataUsageGb = monthlySeries(plan.dataGb * random.float(0.3, 1.1), 1, (m) => shape(m) ** 1.5, activeInMonth, random);
  const voiceMinutes = monthlySeries(plan.voiceMinutes * random.float(0.2, 0.9), 0, shape, activeInMonth, random);

  const atRisk = cohort === 'declining' || cohort === 'churned';
  const complaints90d = atRisk ? random.int(0, 4) : random.chance(0.1) ? 1 : 0;
  const complaints30d = random.int(0, complaints90d);
  const networkIssues90d = atRisk ? random.int(0, 5) : random.chance(0.15) ? 1 : 0;

  let contractEnd: string | null;
  const contractRoll = random.float(0, 1);
  if (churnDaysAgo !== null) contractEnd = contractRoll < 0.5 ? null : isoDaysBefore(churnDaysAgo + random.int(0, 90));
  else if (cohort === 'new') contractEnd = isoDaysBefore(tenureDays - random.pick([365, 730]));
  else if (contractRoll < 0.3) contractEnd = null;
  else if (contractRoll < 0.45) contractEnd = isoDaysBefore(-random.int(0, 60));
  else contractEnd = isoDaysBefore(-random.int(61, 730));

  return {
    id: demoCustomerId(index),
    name: chineseName(random),
    phone: demoPhone(index, seed),
    idNumber: syntheticIdNumber(random),
    planCode: plan.code,
    planName: plan.name,
    monthlyFee: plan.monthlyFee,
    joinDate: isoDaysBefore(tenureDays),
    contractEnd,
    status: churnDaysAgo === null ? 'active' : 'churned',
    churnDate: churnDaysAgo === null ? null : isoDaysBefore(churnDaysAgo),
    arpu,
    dataUsageGb,
    voiceMinutes,
    complaints30d,
    complaints90d,
    networkIssues90d,
    marketingConsent: random.chance(0.82),
    doNotDisturb: random.chance(0.06),
    version: 1,
  };
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
