import { describe, expect, it } from 'vitest';
import type { EligibilityRule } from '../../shared/contract/offer-rules';
import { eligibilityFacts } from '../../shared/offers/eligibility-facts';
import { evaluateRule, validateRule } from '../../shared/offers/evaluate-rule';
import { customerSignals } from '../../shared/analytics/customer-signals';
import { NOW, assessment, customer } from './fixtures';

const known = (c = customer(), a = assessment()) => eligibilityFacts({ customer: c, signals: customerSignals(c, NOW) }, a);
const prospect = () =>
  eligibilityFacts(null, assessment({ stage: 'prospect', valueTier: null, clv: null, arpu3m: null, churnProbability: null, topReasons: [] }));

describe('eligibility facts', () => {
  it('reads the customer row, its signals and the assessment', () => {
    const facts = known(
      customer({ arpu: [...Array(9).fill(100), 77, 77, 77], contractEnd: '2026-12-15', networkIssues90d: 2 }),
      assessment({ stage: 'D', warningLevel: 'red', churnProbability: 0.7, topReasons: [{ code: 'network_issues_90d', params: { count: 2 } }] }),
    );
    expect(facts).toMatchObject({
      stage: 'D',
      valueTier: 'gold',
      warningLevel: 'red',
      churnProbability: 0.7,
      tenureMonths: 80,
      planCode: 'P129',
      monthlyFee: 129,
      arpuTrend3m: -23,
      contractDaysLeft: 30,
      status: 'active',
      networkIssues90d: 2,
      marketingConsent: true,
      doNotDisturb: false,
      topReasons: ['network_issues_90d'],
    });
  });
  it('gives a prospect the prospect stage and unknown customer facts', () => {
    expect(prospect()).toMatchObject({ stage: 'prospect', tenureMonths: null, planCode: null, status: null, marketingConsent: null, churnProbability: null });
  });
});

describe('evaluateRule', () => {
  const facts = known(
    customer(),
    assessment({ stage: 'D', warningLevel: 'orange', churnProbability: 0.45, topReasons: [{ code: 'complaints_30d', params: { count: 2 } }] }),
  );

  it('explains an eligible rule with the comparisons that held', () => {
    const rule: EligibilityRule = {
      all: [
        { field: 'stage', op: 'in', value: ['D', 'E'] },
        { field: 'churnProbability', op: 'gte', value: 0.4 },
      ],
    };
    expect(evaluateRule(rule, facts)).toEqual({
      eligible: true,
      matched: [
        { code: 'eligible_because', params: { field: 'stage', op: 'in', value: 'D, E', actual: 'D' } },
        { code: 'eligible_because', params: { field: 'churnProbability', op: 'gte', value: 0.4, actual: 0.45 } },
      ],
    });
  });
  it('takes the first branch of an any that holds, and rejects when none does', () => {
    const any: EligibilityRule = {
      any: [
        { field: 'valueTier', op: 'eq', value: 'platinum' },
        { field: 'topReasons', op: 'includes', value: 'complaints_30d' },
      ],
    };
    expect(evaluateRule(any, facts).matched).toEqual([{ code: 'eligible_because', params: { field: 'topReasons', op: 'includes', value: 'complaints_30d' } }]);
    expect(
      evaluateRule(
        {
          any: [
            { field: 'valueTier', op: 'eq', value: 'platinum' },
            { field: 'tenureMonths', op: 'lt', value: 6 },
          ],
        },
        facts,
      ),
    ).toEqual({ eligible: false, matched: [] });
  });
  it('reads a not through De Morgan, naming the comparison that held', () => {
    const rule: EligibilityRule = {
      not: {
        all: [
          { field: 'stage', op: 'eq', value: 'E' },
          { field: 'personalKeyCustomer', op: 'eq', value: true },
        ],
      },
    };
    expect(evaluateRule(rule, facts)).toEqual({
      eligible: true,
      matched: [{ code: 'eligible_because', params: { field: 'stage', op: 'ne', value: 'E', actual: 'D' } }],
    });
    expect(evaluateRule({ not: { field: 'stage', op: 'eq', value: 'D' } }, facts).eligible).toBe(false);
  });
  it('fails every comparison on an unknown fact except is_null', () => {
    const p = prospect();
    expect(evaluateRule({ field: 'churnProbability', op: 'lt', value: 0.3 }, p).eligible).toBe(false);
    expect(evaluateRule({ field: 'planCode', op: 'ne', value: 'P129' }, p).eligible).toBe(false);
    expect(evaluateRule({ field: 'planCode', op: 'not_in', value: ['P129'] }, p).eligible).toBe(false);
    expect(evaluateRule({ field: 'planCode', op: 'is_null' }, p)).toEqual({
      eligible: true,
      matched: [{ code: 'eligible_because', params: { field: 'planCode', op: 'is_null' } }],
    });
    expect(evaluateRule({ field: 'planCode', op: 'not_null' }, p).eligible).toBe(false);
  });
  it('compares numbers at the boundaries', () => {
    expect(evaluateRule({ field: 'tenureMonths', op: 'gte', value: 80 }, facts).eligible).toBe(true);
    expect(evaluateRule({ field: 'tenureMonths', op: 'gt', value: 80 }, facts).eligible).toBe(false);
    expect(evaluateRule({ field: 'monthlyFee', op: 'lte', value: 129 }, facts).eligible).toBe(true);
    expect(evaluateRule({ field: 'monthlyFee', op: 'lt', value: 129 }, facts).eligible).toBe(false);
  });
});

describe('validateRule', () => {
  it('accepts a sound rule', () => {
    expect(
      validateRule({
        all: [
          { field: 'stage', op: 'in', value: ['D'] },
          { not: { field: 'contractDaysLeft', op: 'is_null' } },
          { field: 'topReasons', op: 'includes', value: 'network_issues_90d' },
        ],
      }),
    ).toEqual([]);
  });
  it('reports each meaning problem with its path', () => {
    const rule: EligibilityRule = {
      all: [
        { field: 'stage', op: 'gt', value: 'C' },
        { field: 'valueTier', op: 'in', value: 'gold' },
        { field: 'contractDaysLeft', op: 'is_null', value: 3 },
        { field: 'planCode', op: 'includes', value: 'P129' },
        {
          any: [
            { field: 'warningLevel', op: 'eq', value: 'purple' },
            { field: 'stage', op: 'in', value: ['D', 'Z'] },
          ],
        },
        { not: { field: 'churnProbability', op: 'gte', value: '0.4' } },
        { field: 'tenureMonths', op: 'lt' },
        { field: 'topReasons', op: 'includes', value: 'bad_weather' },
        { field: 'topReasons', op: 'eq', value: 'complaints_30d' },
      ],
    };
    expect(validateRule(rule, ['eligibility'])).toEqual([
      { path: ['eligibility', 'all', 0], message: "'gt' compares numbers, but 'stage' is not numeric" },
      { path: ['eligibility', 'all', 1, 'value'], message: "'in' needs an array of values" },
      { path: ['eligibility', 'all', 2, 'value'], message: "'is_null' takes no value" },
      { path: ['eligibility', 'all', 3], message: "'includes' applies only to topReasons, not 'planCode'" },
      { path: ['eligibility', 'all', 4, 'any', 0, 'value'], message: '"purple" is not a known warningLevel value (known: red, orange, yellow, none)' },
      { path: ['eligibility', 'all', 4, 'any', 1, 'value'], message: '"Z" is not a known stage value (known: prospect, A, B, C, D, E)' },
      { path: ['eligibility', 'all', 5, 'not', 'value'], message: '\'churnProbability\' is compared with number values, got "0.4"' },
      { path: ['eligibility', 'all', 6, 'value'], message: "'lt' needs a value" },
      { path: ['eligibility', 'all', 7, 'value'], message: expect.stringContaining('"bad_weather" is not a known topReasons value') },
      { path: ['eligibility', 'all', 8], message: "'topReasons' is a list of reason codes: compare it with 'includes'" },
    ]);
  });
});
