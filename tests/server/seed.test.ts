import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, CustomerScore, LIFECYCLE_STAGES, OBJECTION_KINDS, OFFER_KINDS } from '../../shared/contract/entities';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { eligibilityFacts, type EligibilityFacts } from '../../shared/offers/eligibility-facts';
import { evaluateRule } from '../../shared/offers/evaluate-rule';
import { fillTemplate } from '../../shared/domain/script-template';
import { normalizeMobile } from '../../shared/domain/phone';
import type { CentralApi } from '../../server/app';
import { parseRate } from '../../server/cli/call-rate';
import { DEMO_BOOK_SIZE, DEMO_REFERENCE_DATE, demoPhone, demoScore, generateDemoCustomer, prospectPhone } from '../../server/seed/demo-customers';
import { loadOfferCatalog } from '../../server/catalog/load-catalog';
import { DEMO_USERS } from '../../server/seed/demo-users';
import { BOOK_PHONE_PREFIXES } from '../../server/seed/reference-data';
import { seedDemoData } from '../../server/seed/seed-database';
import { seededRandom } from '../../server/seed/seeded-random';
import { startTestApi } from './support/test-api';
import { TEST_NOW } from '../support/test-clock';

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

  it('has the intended mix: 1-3% leaving a month, contracts ending soon, every stage and warning level', () => {
    const churned = SAMPLE.filter((c) => c.status === 'churned');
    // Leavers are drawn over the eleven months before the reference date (churn-hazard.ts).
    expect(churned.length / SAMPLE.length / 11).toBeGreaterThan(0.01);
    expect(churned.length / SAMPLE.length / 11).toBeLessThan(0.03);
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

describe('the shipped offer catalogue', () => {
  const { offers } = loadOfferCatalog();

  it('covers every offer kind and objection, each script answering every objection kind in both languages', () => {
    expect(new Set(offers.map((o) => o.kind))).toEqual(new Set(OFFER_KINDS));
    for (const offer of offers) expect(new Set(offer.script.objections.map((x) => x.kind)), offer.id).toEqual(new Set(OBJECTION_KINDS));
  });

  it('prices retention by the customer value at risk and up-sell, cross-sell and win-back at a fixed value', () => {
    for (const offer of offers) {
      if (offer.kind === 'retention') expect(offer.valueBasis, offer.id).toBe('customer_value');
      if (['upsell', 'crosssell', 'winback'].includes(offer.kind)) expect(offer.valueBasis, offer.id).toBe('fixed');
      expect(offer.contactCostYuan, offer.id).toBeGreaterThanOrEqual(2);
      expect(offer.contactCostYuan, offer.id).toBeLessThanOrEqual(5);
    }
  });

  it('runs a champion against a challenger under one experiment id', () => {
    const arms = offers.flatMap((o) => (o.experiment === null ? [] : [{ id: o.experiment.id, arm: o.experiment.arm, kind: o.kind }]));
    const experiments = new Set(arms.map((a) => a.id));
    expect(experiments.size).toBeGreaterThan(0);
    for (const id of experiments) {
      const inExperiment = arms.filter((a) => a.id === id);
      expect(
        inExperiment.filter((a) => a.arm === 'champion'),
        id,
      ).toHaveLength(1);
      expect(inExperiment.filter((a) => a.arm === 'challenger').length, id).toBeGreaterThan(0);
    }
  });

  it('leaves no raw placeholder in front of the agent', () => {
    for (const { id, script } of offers)
      for (const text of [script.opening, script.pitch, ...script.objections.map((o) => o.answer)])
        for (const lang of ['zh', 'en'] as const) expect(fillTemplate(text[lang], {}, lang), `${id} ${lang}`).not.toMatch(/\{\w+\}/);
  });
});

describe('seeding a database', () => {
  let api: CentralApi;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 300 });
  });
  afterAll(() => api?.close());

  const count = async (table: string) => (await api.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n;

  it('seeds the requested number of customers with scores and the demo users; the start publishes the catalogue', async () => {
    expect(await count('customers')).toBe(300);
    expect(await count('scores')).toBe(300);
    expect(await count('offers')).toBe(loadOfferCatalog().offers.length);
    expect(await count('users')).toBe(DEMO_USERS.length);
    const [row] = await api.db.query<{ data: unknown }>(`SELECT data FROM customers WHERE id = 'CUS0000300'`);
    expect(row?.data).toEqual(generateDemoCustomer(299));
  });

  it('gives every lifecycle stage of the seeded book, and a prospect caller, at least one eligible offer', async () => {
    const { offers } = loadOfferCatalog();
    // The book is scored as of TEST_NOW (startTestApi's clock): its signals are read as of the same instant.
    const now = TEST_NOW;
    const rows = await api.db.query<{ customer: Customer; score: CustomerScore }>(
      'SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id',
    );
    const eligibleOfferCount = (facts: EligibilityFacts) => offers.filter((o) => evaluateRule(o.eligibility, facts).eligible).length;
    const covered = new Set<string>();
    for (const { customer, score } of rows) {
      const facts = eligibilityFacts({ customer, signals: customerSignals(customer, now) }, score);
      if (eligibleOfferCount(facts) > 0) covered.add(score.stage);
    }
    const prospect = eligibilityFacts(null, {
      modelVersion: 'none',
      stage: 'prospect',
      stageReasons: [],
      valueTier: null,
      clv: null,
      arpu3m: null,
      rfm: null,
      personalKeyCustomer: false,
      churnProbability: null,
      warningLevel: 'none',
      topReasons: [],
    });
    if (eligibleOfferCount(prospect) > 0) covered.add('prospect');
    expect([...covered].sort()).toEqual([...LIFECYCLE_STAGES].sort());
  });

  it('does nothing when the database already holds data', async () => {
    expect(await seedDemoData(api.db, { customers: 500 })).toEqual({ users: 0, customers: 0 });
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
