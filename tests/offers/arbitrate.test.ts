import { describe, expect, it } from 'vitest';
import type { Offer, OfferStats } from '../../shared/contract/entities';
import type { ContactChannel } from '../../shared/contract/outcomes';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { CARD_OFFER_COUNT, arbitrate, type Arbitration } from '../../shared/offers/arbitrate';
import { contactLog } from '../../shared/offers/contact-policy';
import { eligibilityFacts, type CardAssessment } from '../../shared/offers/eligibility-facts';
import { NOW, assessment, customer, offer, stats } from './fixtures';

interface Options {
  stats?: OfferStats[];
  channel?: ContactChannel;
  seed?: string;
  prospect?: boolean;
  contacts?: ReturnType<typeof contactLog>;
}

function run(offers: Offer[], a: Partial<CardAssessment>, options: Options = {}): Arbitration {
  const c = customer();
  const card = assessment(a);
  return arbitrate({
    offers,
    facts: eligibilityFacts(options.prospect ? null : { customer: c, signals: customerSignals(c, NOW) }, card),
    assessment: card,
    offerStats: new Map((options.stats ?? []).map((s) => [s.offerId, s])),
    contacts: options.contacts ?? contactLog(null, []),
    channel: options.channel ?? 'hotline',
    explorationSeed: options.seed ?? 'call-1',
    now: NOW,
  });
}

const warned = { stage: 'D', warningLevel: 'orange', churnProbability: 0.5, clv: 2000, valueTier: 'gold' } as const;
const retention = offer('retain-bonus', {
  kind: 'retention',
  valueBasis: 'customer_value',
  valueYuan: 999,
  costYuan: 120,
  contactCostYuan: 2,
  priorAcceptance: { alpha: 3, beta: 7 },
  eligibility: { field: 'warningLevel', op: 'ne', value: 'none' },
});
const care = offer('apology-credit', { kind: 'care', valueYuan: 0, costYuan: 20, contactCostYuan: 1, priorAcceptance: { alpha: 1, beta: 1 } });
const upsell = offer('data-20g', { kind: 'upsell', valueYuan: 2000, costYuan: 0, contactCostYuan: 1, priorAcceptance: { alpha: 1, beta: 1 } });

describe('arbitration arithmetic', () => {
  it('computes P(accept) from the prior and the segment’s counts, value at risk, and EV', () => {
    const result = run([retention, care], warned, {
      stats: [stats('retain-bonus', { 'D/gold': { presented: 10, accepted: 2 }, 'D/silver': { presented: 50, accepted: 50 } })],
    });
    expect(result.segment).toBe('D/gold');
    const [first, second] = result.offers;
    // Posterior Beta(3 + 2, 7 + 8): mean 0.25; value at risk 0.5 × 2000 = 1000; EV = 0.25 × (1000 − 120) − 2.
    expect(first).toMatchObject({ pAccept: 0.25, value: 1000, expectedValue: 218 });
    expect(first!.offer.id).toBe('retain-bonus');
    expect(first!.why).toEqual([
      { code: 'eligible_because', params: { field: 'warningLevel', op: 'ne', value: 'none', actual: 'orange' } },
      { code: 'value_at_risk', params: { yuan: 1000, churnPct: 50, clv: 2000 } },
    ]);
    // Beta(1, 1): 0.5 × (0 − 20) − 1.
    expect(second).toMatchObject({ pAccept: 0.5, value: 0, expectedValue: -11 });
  });

  it('values a customer-value offer at 0 for a prospect or an unscored customer, and so does not offer it', () => {
    const acquisition = offer('join-5g', {
      kind: 'acquisition',
      valueBasis: 'customer_value',
      costYuan: 30,
      contactCostYuan: 2,
      eligibility: { field: 'stage', op: 'eq', value: 'prospect' },
    });
    const result = run([acquisition], { stage: 'prospect', valueTier: null, clv: null, churnProbability: null, warningLevel: 'none' }, { prospect: true });
    expect(result.segment).toBe('prospect/none');
    // Worth 0 and costing 30: no draw can make it pay, so the agent is not asked to present it.
    expect(result.offers).toEqual([]);
    expect(result.decision.kind).toBe('none');
  });

  it('skips offers not valid today or not eligible, lists the suppressed, and caps the card', () => {
    const offers = [
      ...['a', 'b', 'c', 'd'].map((id) => offer(id)),
      offer('expired', { validTo: '2026-11-14' }),
      offer('future', { validFrom: '2026-11-16' }),
      offer('ineligible', { eligibility: { field: 'stage', op: 'eq', value: 'E' } }),
      offer('no-consent', { contactPolicy: { cooldownDays: 0, requiresMarketingConsent: true, allowedWhenDoNotDisturb: true } }),
    ];
    const result = run(offers, {}, { channel: 'outbound' });
    expect(CARD_OFFER_COUNT).toBe(3);
    expect(result.offers).toHaveLength(CARD_OFFER_COUNT);
    expect(result.offers.map((o) => o.offer.id).every((id) => ['a', 'b', 'c', 'd', 'no-consent'].includes(id))).toBe(true);
    expect(result.suppressed).toEqual([]);
    const withoutConsent = arbitrate({ ...inputFor(offers), facts: { ...inputFor(offers).facts, marketingConsent: false } });
    expect(withoutConsent.suppressed.map((s) => [s.offer.id, s.reason.code])).toEqual([['no-consent', 'no_marketing_consent']]);
  });
});

function inputFor(offers: Offer[]) {
  const c = customer();
  const card = assessment();
  return {
    offers,
    facts: eligibilityFacts({ customer: c, signals: customerSignals(c, NOW) }, card),
    assessment: card,
    offerStats: new Map(),
    contacts: contactLog(null, []),
    channel: 'hotline' as const,
    explorationSeed: 'call-1',
    now: NOW,
  };
}

describe('save or let go', () => {
  it('retains when a retention offer pays, leading with it over a richer up-sell', () => {
    const result = run([upsell, care, retention], warned);
    expect(result.decision).toEqual({
      kind: 'retain',
      reasons: [{ code: 'retention_pays', params: { offerId: 'retain-bonus', expectedValue: 0.3 * 880 - 2 } }],
    });
    expect(result.offers[0]!.offer.id).toBe('retain-bonus');
  });

  it('lets go when no retention offer pays: care first, the retention offer left off', () => {
    // Value at risk 0.1 × 500 = 50 < cost 120: EV = 0.3 × (50 − 120) − 2 = −23.
    const result = run([retention, upsell, care], { ...warned, warningLevel: 'yellow', churnProbability: 0.1, clv: 500 });
    expect(result.decision).toEqual({ kind: 'let_go', reasons: [{ code: 'retention_does_not_pay', params: { offerId: 'retain-bonus', expectedValue: -23 } }] });
    expect(result.offers.map((o) => o.offer.id)).toEqual(['apology-credit', 'data-20g']);
  });

  it('lets go when no retention offer is eligible at all', () => {
    expect(run([care], warned).decision).toEqual({ kind: 'let_go', reasons: [{ code: 'no_retention_offer', params: {} }] });
  });
});

describe('decision kinds', () => {
  const winback = offer('come-back', { kind: 'winback', eligibility: { field: 'stage', op: 'eq', value: 'E' } });
  const join = offer('join', { kind: 'acquisition', eligibility: { field: 'stage', op: 'eq', value: 'prospect' } });

  it.each([
    ['acquire', [join, care], { stage: 'prospect', valueTier: null, clv: null, churnProbability: null }, true, 'join'],
    ['win_back', [care, winback], { stage: 'E', churnProbability: 1 }, false, 'come-back'],
    ['grow', [care, upsell], { stage: 'C' }, false, 'data-20g'],
  ] as const)('%s', (kind, offers, a, prospect, first) => {
    const result = run([...offers], a as Partial<CardAssessment>, { prospect });
    expect(result.decision.kind).toBe(kind);
    expect(result.offers[0]!.offer.id).toBe(first);
    expect(result.decision.reasons).toEqual([{ code: 'best_offer', params: { offerId: first, expectedValue: result.offers[0]!.expectedValue } }]);
  });

  it('care, with what the care action costs, when nothing else is worth offering', () => {
    const result = run([care], { stage: 'C' });
    expect(result.decision).toEqual({ kind: 'care', reasons: [{ code: 'care_action', params: { offerId: 'apology-credit', yuan: 21 } }] });
    expect(result.offers[0]!.why[0]).toEqual({ code: 'first_care', params: {} });
  });

  it('none when nothing is eligible, counting what the policy held back', () => {
    const held = offer('held', { contactPolicy: { cooldownDays: 0, requiresMarketingConsent: false, allowedWhenDoNotDisturb: false } });
    const result = arbitrate({ ...inputFor([held]), facts: { ...inputFor([held]).facts, doNotDisturb: true } });
    expect(result.offers).toEqual([]);
    expect(result.decision).toEqual({ kind: 'none', reasons: [{ code: 'no_eligible_offer', params: { suppressed: 1 } }] });
  });
});

describe('exploration', () => {
  // Two up-sells with the same mean EV but little evidence: the draw decides their order.
  const twins = [offer('twin-a', { priorAcceptance: { alpha: 1, beta: 1 } }), offer('twin-b', { priorAcceptance: { alpha: 1, beta: 1 } })];

  it('ranks one call the same every time', () => {
    const order = (seed: string) => run(twins, {}, { seed }).offers.map((o) => [o.offer.id, o.explored]);
    expect(order('call-42')).toEqual(order('call-42'));
  });

  it('marks explored exactly the offer the draw put above where its mean would, not the one it pushed down', () => {
    // (A draw below 1/90 makes a twin worth nothing this time, and it is left off: those calls are not compared.)
    const orders = Array.from({ length: 40 }, (_, i) => run(twins, {}, { seed: `call-${i}` }).offers).filter((offers) => offers.length === 2);
    // Equal means: the mean order is by id, so twin-b first is exploration (twin-a below it is the surest choice), twin-a first is not.
    for (const offers of orders) {
      const explored = offers[0]!.offer.id === 'twin-b';
      expect(offers.map((o) => o.explored)).toEqual([explored, false]);
      expect(offers.map((o) => o.expectedValue)).toEqual([0.5 * (100 - 10) - 1, 0.5 * (100 - 10) - 1]);
    }
    const explorations = orders.filter((o) => o[0]!.explored).length;
    expect(explorations).toBeGreaterThan(5);
    expect(explorations).toBeLessThan(35);
  });
});

describe('the first offer (issue 14 §3)', () => {
  const FIRST_BECAUSE = ['first_exploring', 'first_retention', 'first_care', 'first_care_let_go'];
  // An up-sell that loses money on average (the lead kind of a calm customer used to go first anyway).
  const losingUpsell = offer('losing-upsell', { kind: 'upsell', valueYuan: 40, costYuan: 60, contactCostYuan: 3, priorAcceptance: { alpha: 3, beta: 7 } });
  const richCrosssell = offer('rich-crosssell', {
    kind: 'crosssell',
    valueYuan: 900,
    costYuan: 120,
    contactCostYuan: 4,
    priorAcceptance: { alpha: 2, beta: 8 },
  });
  // A retention offer a calm customer qualifies for (contract renewal): worth 0.4 × (10 % × 2000 − 20) − 3 = 69 on average.
  const renewal = offer('renewal', {
    kind: 'retention',
    valueBasis: 'customer_value',
    costYuan: 20,
    contactCostYuan: 3,
    priorAcceptance: { alpha: 4, beta: 6 },
  });

  it('is the one worth most, not a losing offer of the lead kind', () => {
    for (let i = 0; i < 30; i++) {
      const result = run([losingUpsell, renewal, care], { stage: 'C', churnProbability: 0.1, clv: 2000 }, { seed: `call-${i}` });
      expect(result.offers[0]!.offer.id).toBe('renewal');
      expect(result.decision.reasons[0]).toMatchObject({ code: 'best_offer', params: { offerId: 'renewal' } });
    }
  });

  it('has the highest expected value shown, or says why it is first; a loss is never shown without a word', () => {
    const pool = [
      losingUpsell,
      richCrosssell,
      care,
      upsell,
      retention,
      offer('cheap-retention', {
        kind: 'retention',
        valueBasis: 'customer_value',
        costYuan: 20,
        contactCostYuan: 2,
        priorAcceptance: { alpha: 2, beta: 8 },
        eligibility: { field: 'warningLevel', op: 'ne', value: 'none' },
      }),
      offer('new-challenger', {
        kind: 'upsell',
        valueYuan: 300,
        costYuan: 30,
        contactCostYuan: 3,
        priorAcceptance: { alpha: 1, beta: 1 },
        experiment: { id: 'X', arm: 'challenger' },
      }),
    ];
    const situations: Partial<CardAssessment>[] = [
      { stage: 'C' },
      { stage: 'B', valueTier: 'silver' },
      warned,
      { ...warned, warningLevel: 'yellow', churnProbability: 0.1, clv: 500 },
    ];
    let checked = 0;
    for (const situation of situations) {
      for (let i = 0; i < 25; i++) {
        const offers = pool.filter((_, k) => (i >> k) % 2 === 0 || k === 0);
        const { offers: shown } = run(offers, situation, { seed: `call-${i}` });
        const [first] = shown;
        if (first === undefined) continue;
        checked++;
        const best = Math.max(...shown.filter((o) => o.offer.kind !== 'care').map((o) => o.expectedValue));
        const saysWhy = FIRST_BECAUSE.includes(first.why[0]?.code ?? '');
        if (!saysWhy) expect(first.expectedValue, JSON.stringify(shown.map((o) => [o.offer.id, o.expectedValue]))).toBe(best);
        for (const o of shown) {
          if (o.offer.kind !== 'care' && o.expectedValue <= 0) {
            expect(o.explored, o.offer.id).toBe(true);
            expect(
              o.why.map((r) => r.code),
              o.offer.id,
            ).toContain('tried_at_expected_loss');
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('says a care action is first because the customer is let go', () => {
    const result = run([retention, upsell, care], { ...warned, warningLevel: 'yellow', churnProbability: 0.1, clv: 500 });
    expect(result.offers[0]!.offer.id).toBe('apology-credit');
    expect(result.offers[0]!.why[0]).toEqual({ code: 'first_care_let_go', params: {} });
  });

  it('says a retention offer ahead of a richer retention offer is being tried, not first because the customer is at risk', () => {
    // A well-known retention offer and a new one with little evidence: the draw sometimes puts the new one first.
    const proven = offer('proven-retention', { ...retention, id: 'proven-retention', priorAcceptance: { alpha: 30, beta: 70 } });
    const fresh = offer('fresh-retention', { ...retention, id: 'fresh-retention', costYuan: 200, priorAcceptance: { alpha: 1, beta: 3 } });
    const tried = Array.from({ length: 40 }, (_, i) => run([proven, fresh], warned, { seed: `call-${i}` }).offers).filter(
      (shown) => shown[0]!.offer.id === 'fresh-retention' && shown.some((o) => o.expectedValue > shown[0]!.expectedValue),
    );
    expect(tried.length).toBeGreaterThan(0);
    for (const [first] of tried) expect(first!.why[0]).toMatchObject({ code: 'first_exploring', params: { offerId: 'proven-retention' } });
  });

  it('says retention is first, ahead of a richer up-sell, because the customer is at risk', () => {
    const result = run([upsell, retention], warned);
    expect(result.offers.map((o) => o.offer.id)).toEqual(['retain-bonus', 'data-20g']);
    expect(result.offers[0]!.why[0]).toMatchObject({ code: 'first_retention', params: { offerId: 'data-20g' } });
  });
});
