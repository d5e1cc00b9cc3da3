// Valid contract rows for tests, parsed with the contract schemas so a fixture can never drift
// from the shapes the server sends.
import type { SyncChange, SyncChangesResponse } from '../../../shared/contract/central-api';
import { ContactHistory, Customer, CustomerScore, Offer, OfferStats } from '../../../shared/contract/entities';
import { OutcomeDraft } from '../../../shared/contract/outcomes';

const series = (start: number, step: number) => Array.from({ length: 12 }, (_, i) => Math.max(0, start + step * i));

export function makeCustomer(n: number, overrides: Partial<Customer> = {}): Customer {
  return Customer.parse({
    id: `c-${n}`,
    name: `Customer ${n}`,
    phone: `138${String(n).padStart(8, '0')}`,
    idNumber: `11010519800101${String(n % 10000).padStart(4, '0')}`,
    planCode: 'P58',
    planName: { zh: '畅享58元套餐', en: 'Unlimited 58' },
    monthlyFee: 58,
    joinDate: '2019-03-15',
    contractEnd: '2026-12-31',
    status: 'active',
    churnDate: null,
    arpu: series(80, -2),
    dataUsageGb: series(10, 0.5),
    voiceMinutes: series(300, -5),
    complaints30d: 0,
    complaints90d: 1,
    networkIssues90d: 0,
    marketingConsent: true,
    doNotDisturb: false,
    version: 1,
    ...overrides,
  });
}

export function makeScore(customerId: string, overrides: Partial<CustomerScore> = {}): CustomerScore {
  return CustomerScore.parse({
    customerId,
    version: 1,
    modelVersion: 'test-model-1',
    stage: 'D',
    stageReasons: [{ code: 'arpu_trend_3m', params: { pct: -23 } }],
    valueTier: 'gold',
    clv: 1234,
    arpu3m: 130,
    churnProbability: 0.62,
    warningLevel: 'red',
    topReasons: [{ code: 'complaints_30d', params: { count: 2 } }],
    scoredAt: '2025-06-01T00:00:00Z',
    ...overrides,
  });
}

export function makeOffer(id: string, overrides: Partial<Offer> = {}): Offer {
  return Offer.parse({
    id,
    version: 1,
    kind: 'retention',
    name: { zh: `优惠${id}`, en: `Offer ${id}` },
    eligibility: { field: 'stage', op: 'in', value: ['D', 'C', 'prospect'] },
    valueBasis: 'fixed',
    valueYuan: 300,
    costYuan: 20,
    contactCostYuan: 2,
    priorAcceptance: { alpha: 3, beta: 7 },
    experiment: null,
    contactPolicy: { cooldownDays: 30, requiresMarketingConsent: false, allowedWhenDoNotDisturb: true },
    fulfilment: { action: 'none', planCode: null },
    validFrom: '2020-01-01',
    validTo: null,
    script: {
      opening: { zh: '{name}您好', en: 'Hello {name}' },
      pitch: { zh: '推荐{offerName}', en: 'We suggest {offerName}' },
      objections: [{ kind: 'price', answer: { zh: '很划算', en: 'It pays off' } }],
    },
    ...overrides,
  });
}

export function makeOfferStats(offerId: string, segments: OfferStats['segments'], overrides: Partial<OfferStats> = {}): OfferStats {
  return OfferStats.parse({ offerId, version: 1, segments, updatedAt: '2025-06-01T00:00:00Z', ...overrides });
}

export function makeContactHistory(customerId: string, contacts: ContactHistory['contacts'], overrides: Partial<ContactHistory> = {}): ContactHistory {
  return ContactHistory.parse({ customerId, version: 1, contacts, ...overrides });
}

/** A valid draft; declined and not_presented outcomes get a reason unless the test gives one. */
export function makeDraft(overrides: Partial<OutcomeDraft> = {}): OutcomeDraft {
  const result = overrides.result ?? 'accepted';
  return OutcomeDraft.parse({
    callId: 'call-1',
    customerId: 'c-1',
    phone: '13800000001',
    offerId: 'o-1',
    note: '',
    channel: 'hotline',
    callbackAt: null,
    declineReason: result === 'declined' ? 'price' : null,
    notPresentedReason: result === 'not_presented' ? 'customer_busy' : null,
    ...overrides,
    result,
  });
}

/** A page holding `changes` whose cursor is the last change's seq (or `after` when empty). */
export function page(changes: SyncChange[], options: { after?: number; hasMore?: boolean } = {}): SyncChangesResponse {
  return {
    changes,
    nextCursor: changes.at(-1)?.seq ?? options.after ?? 0,
    hasMore: options.hasMore ?? false,
  };
}

export const upsertCustomer = (seq: number, customer: Customer): SyncChange => ({
  seq,
  op: 'upsert',
  entity: 'customer',
  id: customer.id,
  version: customer.version,
  data: customer,
});
export const upsertScore = (seq: number, score: CustomerScore): SyncChange => ({
  seq,
  op: 'upsert',
  entity: 'score',
  id: score.customerId,
  version: score.version,
  data: score,
});
export const upsertOffer = (seq: number, offer: Offer): SyncChange => ({
  seq,
  op: 'upsert',
  entity: 'offer',
  id: offer.id,
  version: offer.version,
  data: offer,
});
export const upsertOfferStats = (seq: number, stats: OfferStats): SyncChange => ({
  seq,
  op: 'upsert',
  entity: 'offer_stats',
  id: stats.offerId,
  version: stats.version,
  data: stats,
});
export const upsertContactHistory = (seq: number, history: ContactHistory): SyncChange => ({
  seq,
  op: 'upsert',
  entity: 'contact_history',
  id: history.customerId,
  version: history.version,
  data: history,
});
export const tombstone = (seq: number, entity: SyncChange['entity'], id: string, version: number): SyncChange => ({
  seq,
  op: 'delete',
  entity,
  id,
  version,
});
