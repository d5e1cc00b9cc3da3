// Eligibility rules are compiled once per rule object and kept with the catalogue (issue 18): a
// card must still get reasons of its own, and a new catalogue must be judged by its own rules.
import { describe, expect, it } from 'vitest';
import type { EligibilityRule } from '../../shared/contract/offer-rules';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { eligibilityFacts } from '../../shared/offers/eligibility-facts';
import { evaluateRule } from '../../shared/offers/evaluate-rule';
import { assessment, customer, NOW, offer, score } from './fixtures';

const facts = (stage: 'C' | 'D') => eligibilityFacts({ customer: customer(), signals: customerSignals(customer(), NOW) }, assessment({ stage }));

/** A card's rows for a stage-D customer with these offers. */
const cardRows = (offers: ReturnType<typeof offer>[]) => ({
  phone: '13800000000',
  customer: customer(),
  score: score({ stage: 'D' }),
  offers,
  offerStats: new Map(),
  contactHistory: null,
  recentOutcomes: [],
  channel: 'hotline' as const,
  explorationSeed: 'call-1',
  now: NOW,
});

describe('compiled eligibility rules', () => {
  const rule: EligibilityRule = { all: [{ field: 'stage', op: 'in', value: ['D'] }, { not: { field: 'doNotDisturb', op: 'eq', value: true } }] };

  it('give each evaluation reasons of its own, so a card adding to them changes no other card', () => {
    const first = evaluateRule(rule, facts('D'));
    first.matched.push({ code: 'value_at_risk', params: {} });
    const second = evaluateRule(rule, facts('D'));
    expect(second.matched).toEqual([
      { code: 'eligible_because', params: { field: 'stage', op: 'in', value: 'D', actual: 'D' } },
      { code: 'eligible_because', params: { field: 'doNotDisturb', op: 'ne', value: 'true', actual: 'false' } },
    ]);
  });

  it('judge the facts of each call, not those the rule was first evaluated with', () => {
    expect(evaluateRule(rule, facts('D')).eligible).toBe(true);
    expect(evaluateRule(rule, facts('C')).eligible).toBe(false);
    expect(evaluateRule(rule, facts('D')).eligible).toBe(true);
  });

  it('follow a new catalogue: an offer whose rule changed is judged by its new rule', () => {
    const rows = (eligibility: EligibilityRule) => cardRows([offer('O1', { eligibility })]);
    expect(buildCustomerCard(rows({ field: 'stage', op: 'in', value: ['D'] })).offers.map((o) => o.offerId)).toEqual(['O1']);
    expect(buildCustomerCard(rows({ field: 'stage', op: 'in', value: ['A'] })).offers).toEqual([]);
  });

  it('build the same card from the same rows every time', () => {
    const rows = cardRows([offer('O1'), offer('O2', { kind: 'retention', valueBasis: 'customer_value' })]);
    expect(buildCustomerCard(rows)).toEqual(buildCustomerCard(rows));
  });
});
