// Builders for the next-best-offer tests: a valid offer, customer and score with overridable parts.
import type { ContactHistory, Customer, CustomerScore, Offer, OfferStats } from '../../shared/contract/entities';
import type { CardAssessment } from '../../shared/offers/eligibility-facts';

export const NOW = new Date('2026-11-15T10:00:00Z');
export const flat = (v: number) => Array.from({ length: 12 }, () => v);

export function customer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'C0000001',
    name: '王芳',
    phone: '13812345678',
    idNumber: '110101199003071234',
    planCode: 'P129',
    planName: { zh: '畅享129', en: 'Unlimited 129' },
    monthlyFee: 129,
    joinDate: '2020-03-01',
    contractEnd: '2027-06-30',
    status: 'active',
    churnDate: null,
    arpu: flat(130),
    dataUsageGb: flat(20),
    voiceMinutes: flat(300),
    complaints30d: 0,
    complaints90d: 0,
    networkIssues90d: 0,
    marketingConsent: true,
    doNotDisturb: false,
    version: 1,
    ...overrides,
  };
}

export function score(overrides: Partial<CustomerScore> = {}): CustomerScore {
  return {
    customerId: 'C0000001',
    version: 1,
    modelVersion: 'gbdt-test',
    stage: 'C',
    stageReasons: [{ code: 'stable_spend', params: { arpu: 130 } }],
    valueTier: 'gold',
    clv: 2000,
    arpu3m: 130,
    rfm: null,
    personalKeyCustomer: false,
    churnProbability: 0.1,
    warningLevel: 'none',
    topReasons: [],
    scoredAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

export function assessment(overrides: Partial<CardAssessment> = {}): CardAssessment {
  const { customerId: _id, version: _v, scoredAt: _at, ...rest } = score();
  return { ...rest, ...overrides };
}

export const SCRIPT: Offer['script'] = {
  opening: { zh: '{name}您好', en: 'Hello {name}' },
  pitch: { zh: '{offerName}', en: '{offerName}' },
  objections: [{ kind: 'price', answer: { zh: '月费{monthlyFee}元', en: '{monthlyFee} yuan' } }],
};

export function offer(id: string, overrides: Partial<Offer> = {}): Offer {
  return {
    id,
    version: 1,
    kind: 'upsell',
    name: { zh: `优惠${id}`, en: `Offer ${id}` },
    eligibility: { field: 'stage', op: 'in', value: ['A', 'B', 'C', 'D'] },
    valueBasis: 'fixed',
    valueYuan: 100,
    costYuan: 10,
    contactCostYuan: 1,
    priorAcceptance: { alpha: 1, beta: 3 },
    experiment: null,
    contactPolicy: { cooldownDays: 30, requiresMarketingConsent: false, allowedWhenDoNotDisturb: true },
    fulfilment: { action: 'none', planCode: null },
    validFrom: '2026-01-01',
    validTo: null,
    script: SCRIPT,
    ...overrides,
  };
}

export function stats(offerId: string, segments: OfferStats['segments']): OfferStats {
  return { offerId, version: 1, segments, updatedAt: '2026-11-01T00:00:00Z' };
}

export function history(
  contacts: { offerId: string | null; result: ContactHistory['contacts'][number]['result']; at: string; channel?: 'hotline' | 'store' | 'outbound' }[],
): ContactHistory {
  return {
    customerId: 'C0000001',
    version: 1,
    contacts: contacts.map((c, i) => ({
      outcomeId: `o${i}`,
      offerId: c.offerId,
      result: c.result,
      channel: c.channel ?? 'hotline',
      agentId: 'agent01',
      at: c.at,
    })),
  };
}
