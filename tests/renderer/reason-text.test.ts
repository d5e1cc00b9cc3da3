// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../shared/contract/entities';
import { createFormatters } from '../../renderer/format/formatters';
import { reasonText } from '../../renderer/format/reason-text';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import type { Language } from '../../renderer/i18n/languages';

function say(language: Language, code: string, params: Reason['params'] = {}) {
  const i18n = createDeskI18n(language);
  return reasonText({ code, params }, i18n.t, createFormatters(language));
}

describe('reason text', () => {
  it('turns the sign of a trend into words and shows the magnitude', () => {
    expect(say('zh-CN', 'arpu_trend_3m', { pct: -23 })).toBe('ARPU 下降 23%(近3个月)');
    expect(say('zh-CN', 'arpu_trend_3m', { pct: 12 })).toBe('ARPU 上升 12%(近3个月)');
    expect(say('zh-CN', 'usage_trend_3m', { pct: 0 })).toBe('流量使用变化 0%(近3个月)');
    expect(say('en', 'usage_trend_3m', { pct: -5 })).toBe('Data usage down 5% over 3 months');
  });

  it('uses English plural forms', () => {
    expect(say('en', 'contract_ends_in_days', { days: 1 })).toBe('Contract ends in 1 day');
    expect(say('en', 'contract_ends_in_days', { days: 30 })).toBe('Contract ends in 30 days');
    expect(say('zh-CN', 'contract_ends_in_days', { days: 30 })).toBe('合约 30 天后到期');
  });

  it('formats money, dates and stage names in the interface language', () => {
    expect(say('zh-CN', 'stable_spend', { arpu: 128.5 })).toBe('消费稳定,近3月月均 ¥128.50');
    expect(say('en', 'churned_on', { date: '2025-03-01' })).toBe('Left on 03/01/2025');
    expect(say('zh-CN', 'churned_on', { date: '' })).toBe('已于 日期不详 离网');
    expect(say('zh-CN', 'fits_stage', { stage: 'D' })).toBe('适合衰退期客户');
    expect(say('en', 'fits_stage', { stage: 'prospect' })).toBe('Fits the Prospect stage');
    expect(say('zh-CN', 'churn_risk', { pct: 64 })).toBe('流失概率 64%');
  });

  it('still says something for a code this build does not know', () => {
    expect(say('zh-CN', 'billing_dispute', { count: 1 })).toBe('其他原因(billing_dispute)');
    expect(say('en', 'billing_dispute')).toBe('Other reason (billing_dispute)');
  });
});

describe('offer reasons', () => {
  it('reads an eligibility comparison with the field, operator and coded values in words', () => {
    expect(say('zh-CN', 'eligible_because', { field: 'warningLevel', op: 'in', value: 'red, orange', actual: 'red' })).toBe(
      '符合条件:预警级别属于 红色预警, 橙色预警',
    );
    expect(say('en', 'eligible_because', { field: 'tenureMonths', op: 'gte', value: 12, actual: 62 })).toBe('Eligible: Tenure (months) ≥ 12');
    expect(say('en', 'eligible_because', { field: 'contractDaysLeft', op: 'is_null' })).toBe('Eligible: Days left on contract is unknown');
  });

  it('formats the money of a retention decision and the cool-down of a held-back offer', () => {
    expect(say('zh-CN', 'value_at_risk', { yuan: 735.16, churnPct: 31, clv: 2394.66 })).toBe('风险价值 ¥735.16(流失概率 31% × CLV ¥2,394.66)');
    expect(say('en', 'contact_cooldown', { days: 1, cooldownDays: 30 })).toBe('Presented 1 day ago (cool-down 30 days)');
    expect(say('en', 'do_not_disturb', { channel: 'outbound' })).toBe('Do-not-disturb customer (Outbound)');
  });
});

describe('probabilities', () => {
  it('read "< 1%" below one percent, in both languages, and whole percents otherwise', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const f = createFormatters(language);
      expect(f.probability(0)).toBe('< 1%');
      expect(f.probability(0.004)).toBe('< 1%');
      expect(f.probability(0.01)).toBe('1%');
      expect(f.probability(0.145)).toBe('15%');
    }
  });

  it('say "< 1%" for the churn probability behind a value at risk', () => {
    expect(say('en', 'value_at_risk', { yuan: 1.2, churnPct: 0, clv: 300 })).toBe('Value at risk ¥1.20 (< 1% churn probability × CLV ¥300.00)');
  });
});
