import { describe, expect, it } from 'vitest';
import type { CustomerScore, LifecycleStage, Offer } from '../../shared/contract/entities';
import { buildCustomerCard, type CardRows } from '../../shared/domain/customer-card';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { normalizeMobile } from '../../shared/domain/phone';
import { windowTrendPercent } from '../../shared/analytics/customer-signals';
import { assessCustomer } from '../../shared/domain/placeholder-rules';
import { fillTemplate } from '../../shared/domain/script-template';
import { customer, flat, NOW } from '../offers/fixtures';

const script: Offer['script'] = {
  opening: { zh: '{name}您好', en: 'Hello {name}' },
  pitch: { zh: '{offerName}:{riskReason}', en: '{offerName}: {riskReason}' },
  objections: [
    { kind: 'price', answer: { zh: '月费{monthlyFee}元', en: '{monthlyFee} yuan' } },
    { kind: 'network', answer: { zh: '已派单', en: 'Ticket raised' } },
  ],
};
function offer(id: string, kind: Offer['kind'], stages: Offer['eligibility'], overrides: Partial<Offer> = {}): Offer {
  return {
    id,
    version: 1,
    kind,
    name: { zh: id, en: id },
    eligibility: stages,
    valueBasis: 'fixed',
    valueYuan: 100,
    costYuan: 10,
    contactCostYuan: 1,
    priorAcceptance: { alpha: 1, beta: 3 },
    experiment: null,
    contactPolicy: { cooldownDays: 30, requiresMarketingConsent: true, allowedWhenDoNotDisturb: false },
    fulfilment: { action: 'none', planCode: null },
    validFrom: '2026-01-01',
    validTo: null,
    script,
    ...overrides,
  };
}
const inStage = (...stages: LifecycleStage[]): Offer['eligibility'] => ({ field: 'stage', op: 'in', value: stages });

function rows(overrides: Partial<CardRows>): CardRows {
  return {
    phone: '13812345678',
    customer: customer(),
    score: null,
    offers: [],
    offerStats: new Map(),
    contactHistory: null,
    recentOutcomes: [],
    channel: 'hotline',
    explorationSeed: 'call-1',
    now: NOW,
    ...overrides,
  };
}

const warnedScore: CustomerScore = {
  customerId: 'C0000001',
  version: 1,
  modelVersion: 'gbdt-1',
  stage: 'D',
  stageReasons: [{ code: 'network_issues_90d', params: { count: 3 } }],
  valueTier: 'gold',
  clv: 3000,
  arpu3m: 130,
  rfm: null,
  personalKeyCustomer: false,
  churnProbability: 0.6,
  warningLevel: 'red',
  topReasons: [{ code: 'network_issues_90d', params: { count: 3 } }],
  scoredAt: '2026-11-01T00:00:00Z',
};

describe('masking and caller numbers', () => {
  it('masks phone and ID numbers for display', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskIdNumber('110101199003071234')).toBe('1101**********1234');
    expect(maskPhone('12')).toBe('**');
  });
  it.each([
    ['13812345678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['013812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['01088886666', null],
    ['+14155550100', null],
    ['+1 415 555 0100', null],
    ['anonymous', null],
    ['', null],
  ])('normalizes ANI %s to %s', (ani, expected) => {
    expect(normalizeMobile(ani)).toBe(expected);
  });
});

describe('placeholder assessment', () => {
  it('computes the 3-vs-3 month trend', () => {
    expect(windowTrendPercent([...flat(100).slice(0, 9), 77, 77, 77], 3)).toBe(-23);
    expect(windowTrendPercent(flat(0), 3)).toBe(0);
  });
  it('puts a long-tenure stable customer in maturity with a low risk', () => {
    const a = assessCustomer(customer(), NOW);
    expect(a.stage).toBe('C');
    expect(a.warningLevel).toBe('none');
    expect(a.valueTier).toBe('gold');
  });
  it('puts falling spend plus complaints in decline, with the reasons', () => {
    const a = assessCustomer(customer({ arpu: [...flat(130).slice(0, 9), 90, 90, 90], complaints30d: 2, complaints90d: 3 }), NOW);
    expect(a.stage).toBe('D');
    expect(a.topReasons.map((r) => r.code)).toEqual(expect.arrayContaining(['arpu_trend_3m', 'complaints_30d']));
    expect(['red', 'orange']).toContain(a.warningLevel);
  });
  it('marks a newly joined customer as acquisition and a churned one as E', () => {
    expect(assessCustomer(customer({ joinDate: '2026-09-01' }), NOW).stage).toBe('A');
    const churned = assessCustomer(customer({ status: 'churned', churnDate: '2026-08-01' }), NOW);
    expect(churned.stage).toBe('E');
    expect(churned.stageReasons[0]).toEqual({ code: 'churned_on', params: { date: '2026-08-01' } });
  });
});

describe('offers and scripts', () => {
  it('never leaves a raw placeholder when a fact is missing', () => {
    expect(fillTemplate('{name}您好,{unknownKey}', { name: null }, 'zh')).toBe('您好,{unknownKey}');
    expect(fillTemplate('Hello {name}, {tenureMonths} months', { name: '', tenureMonths: 0 }, 'en')).toBe('Hello there, 0 months');
  });
  it('builds a known card with masked numbers and scripts in both languages', () => {
    const card = buildCustomerCard(rows({ offers: [offer('care', 'care', inStage('C'))] }));
    expect(card.kind).toBe('known');
    expect(card.phoneMasked).toBe('138****5678');
    expect(card.customer?.idNumberMasked).toBe('1101**********1234');
    expect(card.customer?.tenureMonths).toBe(80);
    expect(card.segment).toBe('C/none');
    expect(card.decision.kind).toBe('care');
    expect(card.offers[0]).toMatchObject({
      offerId: 'care',
      pAccept: 0.25,
      value: 100,
      cost: 10,
      contactCost: 1,
      expectedValue: 0.25 * 90 - 1,
      explored: false,
      experiment: null,
    });
    expect(card.offers[0]!.script.zh.opening).toBe('王芳您好');
    expect(card.offers[0]!.script.en.objections[0]).toEqual({ kind: 'price', answer: '129 yuan', likely: false });
  });
  it('builds a retention card for a warned customer: risk reason in the script, likely objections first, suppressed offers listed', () => {
    const retention = offer('retain', 'retention', inStage('D'), { valueBasis: 'customer_value', costYuan: 200, priorAcceptance: { alpha: 3, beta: 7 } });
    const upsell = offer('upsell', 'upsell', inStage('D'));
    const card = buildCustomerCard(
      rows({
        score: warnedScore,
        offers: [upsell, retention],
        recentOutcomes: [
          { outcomeId: 'o1', recordedAt: '2026-11-10T09:00:00Z', result: 'declined', offerId: 'upsell', channel: 'hotline', note: '', syncState: 'pending' },
        ],
      }),
    );
    expect(card.segment).toBe('D/gold');
    // Value at risk 0.6 × 3000 = 1800; EV = 0.3 × (1800 − 200) − 1.
    expect(card.decision).toEqual({ kind: 'retain', reasons: [{ code: 'retention_pays', params: { offerId: 'retain', expectedValue: 479 } }] });
    expect(card.offers.map((o) => o.offerId)).toEqual(['retain']);
    expect(card.offers[0]!.script.zh.pitch).toBe('retain:近90天您遇到过3次网络问题');
    expect(card.offers[0]!.script.en.objections.map((o) => [o.kind, o.likely])).toEqual([
      ['network', true],
      ['price', false],
    ]);
    expect(card.suppressed).toEqual([
      { offerId: 'upsell', name: { zh: 'upsell', en: 'upsell' }, reason: { code: 'contact_cooldown', params: { days: 5, cooldownDays: 30 } } },
    ]);
  });
  it('builds a prospect card for an unknown caller', () => {
    const card = buildCustomerCard(rows({ phone: '19900000000', customer: null, offers: [offer('join', 'acquisition', inStage('prospect'))] }));
    expect(card.kind).toBe('prospect');
    expect(card.customer).toBeNull();
    expect(card.assessment).toMatchObject({ stage: 'prospect', valueTier: null, churnProbability: null });
    expect(card.segment).toBe('prospect/none');
    expect(card.decision.kind).toBe('acquire');
    expect(card.offers[0]!.script.zh.opening).toBe('您好');
    expect(card.offers[0]!.script.en.pitch).toBe('join: how things have been for you lately');
  });
});
