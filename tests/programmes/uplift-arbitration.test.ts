// Issue 20 §3: once a programme's uplift model has enough data, its retention offers are valued by
// uplift × CLV (the card says which rule valued them); a customer the model expects a retention
// call to put off gets no retention offer and is left out of the outbound queue.
import { describe, expect, it } from 'vitest';
import { customerSignals } from '../../shared/analytics/customer-signals';
import type { CompiledUpliftModel } from '../../shared/analytics/uplift/uplift-model';
import type { CustomerCard } from '../../shared/contract/desk-api';
import type { OutboundCandidate } from '../../shared/contract/outbound-queue';
import { arbitrate, rankingRuleOf, RETENTION_CALL_HARMS, type Arbitration, type ProgrammeUplift } from '../../shared/offers/arbitrate';
import { contactLog } from '../../shared/offers/contact-policy';
import { eligibilityFacts, type CardAssessment } from '../../shared/offers/eligibility-facts';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { rankOutboundQueue } from '../../desk-backend/outbound-queue';
import { NOW, assessment, customer, offer, score } from '../offers/fixtures';

const programme = { id: 'winter-retention', controlShare: 0, neverHoldOut: [] };
const retention = offer('retain-bonus', {
  kind: 'retention',
  valueBasis: 'customer_value',
  costYuan: 50,
  contactCostYuan: 2,
  priorAcceptance: { alpha: 2, beta: 8 },
  eligibility: { field: 'warningLevel', op: 'ne', value: 'none' },
  programme,
});
const care = offer('apology-credit', { kind: 'care', valueYuan: 0, costYuan: 20, contactCostYuan: 1, priorAcceptance: { alpha: 1, beta: 1 } });
const warned = { stage: 'D', warningLevel: 'orange', churnProbability: 0.4, clv: 3000, valueTier: 'gold' } as const;

function run(uplift?: ProgrammeUplift, scored: Partial<CardAssessment> = warned): Arbitration {
  const c = customer();
  const card = assessment(scored);
  return arbitrate({
    offers: [retention, care],
    facts: eligibilityFacts({ customer: c, signals: customerSignals(c, NOW) }, card),
    assessment: card,
    offerStats: new Map(),
    contacts: contactLog(null, []),
    channel: 'outbound',
    explorationSeed: 'call-1',
    now: NOW,
    uplift: uplift === undefined ? undefined : new Map([[programme.id, uplift]]),
  });
}

describe('arbitration with a programme uplift model', () => {
  it('keeps today’s rule (churn probability × CLV) until the programme has a model', () => {
    const result = run();
    const first = result.offers[0]!;
    expect(first.offer.id).toBe('retain-bonus');
    // Value at risk 0.4 × 3000 = 1200; P(accept) 0.2: EV = 0.2 × (1200 − 50) − 2.
    expect(first).toMatchObject({ value: 1200, expectedValue: 228 });
    expect(rankingRuleOf(first.why)).toBe('risk');
  });

  it('values a retention call by its expected uplift × CLV, and says so', () => {
    const result = run({ uplift: 0.05, harmThreshold: -0.01 });
    const first = result.offers[0]!;
    // A call keeps 5 % of 3000 = 150 on average; per acceptance (P 0.2) 750. EV = 150 − 0.2 × 50 − 2.
    expect(first).toMatchObject({ value: 750, expectedValue: 138 });
    expect(first.why).toContainEqual({ code: 'value_by_uplift', params: { yuan: 150, upliftPts: 5, clv: 3000 } });
    expect(rankingRuleOf(first.why)).toBe('uplift');
    expect(result.decision.kind).toBe('retain');
  });

  it('lets a customer go whom a small uplift does not pay for, with a care action first', () => {
    const result = run({ uplift: 0.002, harmThreshold: -0.01 });
    expect(result.decision).toMatchObject({ kind: 'let_go', reasons: [{ code: 'retention_does_not_pay' }] });
    expect(result.offers.map((o) => o.offer.id)).toEqual(['apology-credit']);
  });

  it('makes no retention offer to a customer a call would put off, and says why', () => {
    const result = run({ uplift: -0.03, harmThreshold: -0.01 });
    expect(result.offers.map((o) => o.offer.id)).toEqual(['apology-credit']);
    expect(result.suppressed).toEqual([{ offer: retention, reason: { code: 'contact_harms', params: { upliftPts: -3 } } }]);
    expect(result.decision).toEqual({ kind: 'let_go', reasons: [{ code: RETENTION_CALL_HARMS, params: { offerId: 'retain-bonus', upliftPts: -3 } }] });
  });

  it('ignores the model for an unscored customer (no CLV): today’s rule applies', () => {
    expect(run({ uplift: -0.2, harmThreshold: -0.01 }, { ...warned, clv: null }).suppressed).toEqual([]);
  });
});

describe('the outbound queue', () => {
  // The programme's model expects a call to raise this customer's churn by 4 points.
  const sleepingDog: CompiledUpliftModel[] = [{ programmeId: programme.id, harmThreshold: -0.01, featureColumns: [], uplift: () => Float64Array.of(-0.04) }];
  const cardOf = (upliftModels: CompiledUpliftModel[]) => (): CustomerCard =>
    buildCustomerCard({
      phone: '13812345678',
      customer: customer(),
      score: score(warned),
      offers: [retention, care],
      offerStats: new Map(),
      contactHistory: null,
      recentOutcomes: [],
      channel: 'outbound',
      explorationSeed: 'queue',
      now: NOW,
      upliftModels,
    });
  const candidate = (slot: OutboundCandidate['slot']): OutboundCandidate => ({
    customerId: 'C0000001',
    slot,
    callbackAt: slot === 'callback' ? '2026-11-15T12:00:00Z' : null,
    valueAtRisk: 1200,
    lastContactAt: null,
  });
  const queue = (slot: OutboundCandidate['slot'], models: CompiledUpliftModel[]) =>
    rankOutboundQueue({ generatedAt: NOW.toISOString(), candidates: [candidate(slot)] }, cardOf(models), NOW);

  it('leaves out an at-risk customer a retention call would put off, but keeps the callback they asked for', () => {
    expect(queue('at_risk', [])).toHaveLength(1);
    expect(queue('at_risk', sleepingDog)).toEqual([]);
    expect(queue('callback', sleepingDog)).toHaveLength(1);
  });
});
