import { describe, expect, it } from 'vitest';
import type { OfferScript, Reason } from '../../shared/contract/entities';
import { fillTemplate, renderScript } from '../../shared/domain/script-template';
import { grievancePhrases, likelyObjections, riskReasonPhrases, tenurePhrases } from '../../shared/offers/churn-reasons';

const script: OfferScript = {
  opening: { zh: '{name}您好,我们注意到{riskReason}。', en: 'Hello {name}, we noticed {riskReason}.' },
  pitch: {
    zh: '在网{tenureMonths}个月,{planName}月费{monthlyFee}元,推荐{offerName}',
    en: '{tenureMonths} months on {planName} at {monthlyFee} yuan: {offerName}',
  },
  objections: [
    { kind: 'not_interested', answer: { zh: '了解', en: 'Understood' } },
    { kind: 'price', answer: { zh: '更省钱', en: 'Cheaper' } },
    { kind: 'network', answer: { zh: '已派单', en: 'Ticket raised' } },
    { kind: 'competitor', answer: { zh: '老用户优惠', en: 'Loyalty reward' } },
  ],
};

describe('risk reason phrases', () => {
  it('words the first top reason it can, in both languages', () => {
    const reasons: Reason[] = [
      { code: 'feature_contribution', params: { feature: 'Contract', value: 'Month-to-month', effect: 0.4 } },
      { code: 'network_issues_90d', params: { count: 3 } },
      { code: 'complaints_30d', params: { count: 1 } },
    ];
    expect(riskReasonPhrases(reasons)).toEqual({ zh: '近90天您遇到过3次网络问题', en: 'you had 3 network problems in the last 90 days' });
    expect(riskReasonPhrases([{ code: 'arpu_trend_3m', params: { pct: -23 } }])).toEqual({
      zh: '近3个月消费下降了23%',
      en: 'your spending is down 23% over the last 3 months',
    });
    expect(riskReasonPhrases([{ code: 'complaints_30d', params: { count: 1 } }])?.en).toBe('you raised 1 complaint in the last 30 days');
  });
  it('has no phrase for a rise, a missing number or an unknown code', () => {
    expect(
      riskReasonPhrases([
        { code: 'arpu_trend_3m', params: { pct: 12 } },
        { code: 'contract_ends_in_days', params: {} },
        { code: 'mystery', params: {} },
      ]),
    ).toBeNull();
    expect(riskReasonPhrases([])).toBeNull();
  });
});

describe('likely objections', () => {
  it('maps churn reasons to the objections they predict', () => {
    const kinds = likelyObjections([
      { code: 'network_issues_90d', params: { count: 2 } },
      { code: 'arpu_trend_6m', params: { pct: -15 } },
      { code: 'complaints_90d', params: { count: 4 } },
      { code: 'contract_ends_in_days', params: { days: 20 } },
    ]);
    expect([...kinds].sort()).toEqual(['competitor', 'network', 'price', 'service']);
    expect(likelyObjections([{ code: 'tenure_months', params: { months: 3 } }]).size).toBe(0);
  });
});

describe('renderScript', () => {
  it('fills every fact and puts the likely objections first, in script order', () => {
    const rendered = renderScript(
      script,
      { name: '王芳', riskReason: '近90天您遇到过3次网络问题', tenureMonths: 80, planName: '畅享129', monthlyFee: 129, offerName: '10GB流量包' },
      'zh',
      new Set(['competitor', 'network']),
    );
    expect(rendered.opening).toBe('王芳您好,我们注意到近90天您遇到过3次网络问题。');
    expect(rendered.pitch).toBe('在网80个月,畅享129月费129元,推荐10GB流量包');
    expect(rendered.objections).toEqual([
      { kind: 'network', answer: '已派单', likely: true },
      { kind: 'competitor', answer: '老用户优惠', likely: true },
      { kind: 'not_interested', answer: '了解', likely: false },
      { kind: 'price', answer: '更省钱', likely: false },
    ]);
  });
  it('falls back to neutral wording for every missing fact and keeps script order without predictions', () => {
    const rendered = renderScript(script, {}, 'en', new Set());
    expect(rendered.opening).toBe('Hello there, we noticed how things have been for you lately.');
    expect(rendered.pitch).toBe('many months on your plan at the usual yuan: offer');
    expect(rendered.objections.map((o) => [o.kind, o.likely])).toEqual([
      ['not_interested', false],
      ['price', false],
      ['network', false],
      ['competitor', false],
    ]);
    // A missing name is left out in Chinese ("您好", not "您您好").
    expect(renderScript(script, { riskReason: null }, 'zh', new Set()).opening).toBe('您好,我们注意到您近期的使用情况。');
  });
});

describe('conditional parts', () => {
  it('say a part only when every fact it names is known, else the alternative', () => {
    const line = 'Hello {name}, [we noticed {riskReason}, and we|we] have an offer.';
    expect(fillTemplate(line, { name: 'Wang', riskReason: 'your spending is down 23%' }, 'en')).toBe(
      'Hello Wang, we noticed your spending is down 23%, and we have an offer.',
    );
    expect(fillTemplate(line, { name: 'Wang', riskReason: null }, 'en')).toBe('Hello Wang, we have an offer.');
    expect(fillTemplate('Hi.[ Sorry about {grievance}.]', {}, 'en')).toBe('Hi.');
  });

  it('take a condition that prints nothing, so an apology goes only with something to apologise for', () => {
    const pitch = '[{?grievance}As an apology we|We] have arranged a credit.';
    expect(fillTemplate(pitch, { grievance: 'you raised 2 complaints in the last 30 days' }, 'en')).toBe('As an apology we have arranged a credit.');
    expect(fillTemplate(pitch, { grievance: null }, 'en')).toBe('We have arranged a credit.');
  });
});

describe('grievances and tenure in words', () => {
  it('name complaints first, then network faults, and nothing for a customer with neither', () => {
    expect(grievancePhrases({ complaints30d: 2, complaints90d: 3, networkIssues90d: 4 })?.en).toBe('you raised 2 complaints in the last 30 days');
    expect(grievancePhrases({ complaints30d: 0, complaints90d: 1, networkIssues90d: 4 })?.zh).toBe('近90天您反映过1次问题');
    expect(grievancePhrases({ complaints30d: 0, complaints90d: 0, networkIssues90d: 1 })?.en).toBe('you had 1 network problem in the last 90 days');
    expect(grievancePhrases({ complaints30d: 0, complaints90d: 0, networkIssues90d: 0 })).toBeNull();
    expect(tenurePhrases(1)).toEqual({ zh: '1个月', en: '1 month' });
  });
});
