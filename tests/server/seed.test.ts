import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, CustomerScore, Offer, LIFECYCLE_STAGES, OBJECTION_KINDS, OFFER_KINDS } from '../../shared/contract/entities';
import { normalizeMobile } from '../../shared/domain/phone';
import type { CentralApi } from '../../server/app';
import { parseRate } from '../../server/cli/call-rate';
import {
  DEMO_BOOK_SIZE,
  DEMO_REFERENCE_DATE,
  demoPhone,
  demoScore,
  generateDemoCustomer,
  prospectPhone,
} from '../../server/seed/demo-customers';
import { DEMO_OFFERS } from '../../server/seed/demo-offers';
import { DEMO_USERS } from '../../server/seed/demo-users';
import { BOOK_PHONE_PREFIXES } from '../../server/seed/reference-data';
import { seedDemoData } from '../../server/seed/seed-database';
import { seededRandom } from '../../server/seed/seeded-random';
import { startTestApi } from './support/test-api';

const SAMPLE = Array.from({ length: 2000 }, (_, i) => generateDemoCustomer(i));

describe('demo customer generator', () => {
  it('is deterministic per (index, seed) and differs across seeds', () => {
    expect(generateDemoCustomer(123)).toEqual(generateDemoCustomer(123));
    expect(generateDemoCustomer(123, 7)).toEqual(generateDemoCustomer(123, 7));
    expect(generateDemoCustomer(123, 7)).not.toEqual(generateDemoCustomer(123, 8));
  });

  it('produces customers and scores that satisfy the contract', () => {
    for (const customer of SAMPLE) {
      expect(Customer.safeParse(customer).success, customer.id).toBe(true);
      expect(CustomerScore.safeParse(demoScore(customer)).success, customer.id).toBe(true);
      expect(customer.idNumber).toMatch(/^\d{17}[\dX]$/);
    }
  });

  it('gives every index of the full book its own 13x-19x mobile number', () => {
    const phones = new Set(Array.from({ length: DEMO_BOOK_SIZE }, (_, i) => demoPhone(i)));
    expect(phones.size).toBe(DEMO_BOOK_SIZE);
    for (const phone of phones) expect(normalizeMobile(phone)).toBe(phone);
    expect(SAMPLE[42]?.phone).toBe(demoPhone(42));
  });

  it('draws prospect numbers outside the book', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 500; i++) {
      const phone = prospectPhone(random);
      expect(normalizeMobile(phone)).toBe(phone);
      expect(BOOK_PHONE_PREFIXES).not.toContain(phone.slice(0, 3));
    }
  });

  it('has the intended mix: about 8% churned, contracts ending soon, every stage and warning level', () => {
    const churned = SAMPLE.filter((c) => c.status === 'churned');
    expect(churned.length / SAMPLE.length).toBeGreaterThan(0.05);
    expect(churned.length / SAMPLE.length).toBeLessThan(0.11);
    for (const c of churned) expect(c.churnDate! > c.joinDate).toBe(true);

    const reference = DEMO_REFERENCE_DATE.toISOString().slice(0, 10);
    const in60Days = new Date(DEMO_REFERENCE_DATE.getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
    expect(SAMPLE.some((c) => c.contractEnd === null)).toBe(true);
    expect(SAMPLE.some((c) => c.contractEnd !== null && c.contractEnd >= reference && c.contractEnd <= in60Days)).toBe(true);
    expect(Math.min(...SAMPLE.map((c) => Date.parse(c.joinDate)))).toBeGreaterThanOrEqual(DEMO_REFERENCE_DATE.getTime() - 3651 * 86_400_000);

    const scores = SAMPLE.map(demoScore);
    expect(new Set(scores.map((s) => s.stage))).toEqual(new Set(['A', 'B', 'C', 'D', 'E']));
    expect(new Set(scores.map((s) => s.warningLevel))).toEqual(new Set(['red', 'orange', 'yellow', 'none']));
    expect(new Set(scores.map((s) => s.valueTier)).size).toBe(4);
  });
});

describe('demo offer catalog', () => {
  it('is valid and covers every stage, kind and objection', () => {
    for (const offer of DEMO_OFFERS) Offer.parse(offer);
    expect(new Set(DEMO_OFFERS.map((o) => o.id)).size).toBe(DEMO_OFFERS.length);
    expect(new Set(DEMO_OFFERS.flatMap((o) => o.stages))).toEqual(new Set(LIFECYCLE_STAGES));
    expect(new Set(DEMO_OFFERS.map((o) => o.kind))).toEqual(new Set(OFFER_KINDS));
    expect(new Set(DEMO_OFFERS.flatMap((o) => o.script.objections.map((x) => x.kind)))).toEqual(new Set(OBJECTION_KINDS));
  });

  it('uses only the placeholders the script renderer knows', () => {
    const known = new Set(['name', 'tenureMonths', 'planName', 'monthlyFee', 'offerName']);
    const texts = DEMO_OFFERS.flatMap(({ script }) => [script.opening, script.pitch, ...script.objections.map((o) => o.answer)]).flatMap((t) => [t.zh, t.en]);
    const used = texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    for (const name of used) expect(known).toContain(name);
  });
});

describe('seeding a database', () => {
  let api: CentralApi;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 300 });
  });
  afterAll(() => api?.close());

  const count = async (table: string) => (await api.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n;

  it('seeds the requested number of customers with scores, the offers and the demo users', async () => {
    expect(await count('customers')).toBe(300);
    expect(await count('scores')).toBe(300);
    expect(await count('offers')).toBe(DEMO_OFFERS.length);
    expect(await count('users')).toBe(DEMO_USERS.length);
    const [row] = await api.db.query<{ data: unknown }>(`SELECT data FROM customers WHERE id = 'CUS0000300'`);
    expect(row?.data).toEqual(generateDemoCustomer(299));
  });

  it('does nothing when the database already holds data', async () => {
    expect(await seedDemoData(api.db, { customers: 500 })).toEqual({ users: 0, offers: 0, customers: 0 });
    expect(await count('customers')).toBe(300);
  });
});

describe('call simulator rate', () => {
  it('turns rates into intervals and rejects nonsense', () => {
    expect(parseRate('1/s')).toBe(1000);
    expect(parseRate('2/s')).toBe(500);
    expect(parseRate('1/5s')).toBe(5000);
    expect(parseRate('30/min')).toBe(2000);
    expect(() => parseRate('fast')).toThrow(/--rate/);
    expect(() => parseRate('0/s')).toThrow(/positive/);
  });
});
