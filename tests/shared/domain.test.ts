import { describe, expect, it } from 'vitest';
import type { Customer, Offer } from '../../shared/contract/entities';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { normalizeMobile } from '../../shared/domain/phone';
import { windowTrendPercent } from '../../shared/analytics/customer-signals';
import { assessCustomer, rankOffers } from '../../shared/domain/placeholder-rules';
import { fillTemplate } from '../../shared/domain/script-template';

const NOW = new Date('2026-11-15T10:00:00Z');
const flat = (v: number) => Array.from({ length: 12 }, () => v);

function customer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'C0000001', name: '王芳', phone: '13812345678', idNumber: '110101199003071234',
    planCode: 'P129', planName: { zh: '畅享129', en: 'Unlimited 129' }, monthlyFee: 129,
    joinDate: '2020-03-01', contractEnd: '2027-06-30', status: 'active', churnDate: null,
    arpu: flat(130), dataUsageGb: flat(20), voiceMinutes: flat(300),
    complaints30d: 0, complaints90d: 0, networkIssues90d: 0,
    marketingConsent: true, doNotDisturb: false, version: 1, ...overrides,
  };
}

const script = {
  opening: { zh: '{name}您好', en: 'Hello {name}' },
  pitch: { zh: '{offerName}', en: '{offerName}' },
  objections: [{ kind: 'price' as const, answer: { zh: '月费{monthlyFee}元', en: '{monthlyFee} yuan' } }],
};
function offer(id: string, stages: Offer['stages'], valueYuan: number, costYuan: number, validTo: string | null = null): Offer {
  return { id, version: 1, kind: 'retention', name: { zh: id, en: id }, stages, valueYuan, costYuan, validFrom: '2026-01-01', validTo, script };
}

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
  it('ranks only offers valid today for the stage, best expected value first', () => {
    const ranked = rankOffers(
      [offer('small', ['D'], 100, 10), offer('big', ['D'], 400, 20), offer('wrong-stage', ['B'], 999, 0), offer('expired', ['D'], 999, 0, '2026-01-31')],
      'D',
      NOW,
    );
    expect(ranked.map((r) => r.offer.id)).toEqual(['big', 'small']);
    expect(ranked[0]!.expectedValue).toBe(400 * 0.3 - 20);
  });
  it('never leaves a raw placeholder when a fact is missing', () => {
    expect(fillTemplate('{name}您好,{unknownKey}', { name: null }, 'zh')).toBe('您您好,{unknownKey}');
    expect(fillTemplate('Hello {name}, {tenureMonths} months', { name: '', tenureMonths: 0 }, 'en')).toBe('Hello there, 0 months');
  });
  it('builds a known card with masked numbers and scripts in both languages', () => {
    const card = buildCustomerCard({ phone: '13812345678', customer: customer(), score: null, offers: [offer('care', ['C'], 50, 5)], recentOutcomes: [], now: NOW });
    expect(card.kind).toBe('known');
    expect(card.phoneMasked).toBe('138****5678');
    expect(card.customer?.idNumberMasked).toBe('1101**********1234');
    expect(card.customer?.tenureMonths).toBe(80);
    expect(card.offers[0]!.script.zh.opening).toBe('王芳您好');
    expect(card.offers[0]!.script.en.objections[0]!.answer).toBe('129 yuan');
  });
  it('builds a prospect card for an unknown caller', () => {
    const card = buildCustomerCard({ phone: '19900000000', customer: null, score: null, offers: [offer('join', ['prospect'], 300, 50)], recentOutcomes: [], now: NOW });
    expect(card.kind).toBe('prospect');
    expect(card.customer).toBeNull();
    expect(card.assessment).toMatchObject({ stage: 'prospect', valueTier: null, churnProbability: null });
    expect(card.offers[0]!.script.zh.opening).toBe('您您好');
  });
});
