// @vitest-environment jsdom
// Codes become words in both languages, never themselves: the labels every screen and export use,
// and the churn model's feature names in the card's risk reasons.
import { describe, expect, it } from 'vitest';
import { CUSTOMER_FEATURE_COLUMNS } from '../../shared/analytics/customer-features';
import { FEATURE_CONTRIBUTION } from '../../shared/analytics/score-rows';
import { createCodeLabels } from '../../renderer/format/code-labels';
import { createFormatters } from '../../renderer/format/formatters';
import { reasonText } from '../../renderer/format/reason-text';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import type { Language } from '../../renderer/i18n/languages';

const labelsIn = (language: Language) => createCodeLabels(createDeskI18n(language).t, language);
const NAMES = { 'OFF-CARE-APOLOGY-CREDIT': { zh: '网络问题致歉礼包', en: 'Network apology credit' } };

describe('code labels', () => {
  it('say codes in words in the interface language, a dash for no value', () => {
    const zh = labelsIn('zh-CN');
    const en = labelsIn('en');
    expect(zh.code('result', 'not_presented')).toBe('未推荐');
    expect(en.code('channel', 'outbound')).toBe('Outbound');
    expect(zh.code('stage', null)).toBe('—');
    expect(zh.reason('declined', 'already_has')).toBe('已有该业务');
    expect(en.reason('not_presented', 'customer_busy')).toBe('Customer busy');
    expect(en.reason('accepted', null)).toBe('—');
  });

  it('say a segment as stage and tier, unrated when the tier is unknown', () => {
    expect(labelsIn('zh-CN').segment('D/bronze')).toBe('衰退期 · 铜');
    expect(labelsIn('en').segment('B/none')).toBe('Growth · unrated');
    expect(labelsIn('en').segment('prospect/none')).toBe('Prospect · unrated');
  });

  it('name offers, say "no offer" for none and "withdrawn" for an id the catalogue no longer names', () => {
    const zh = labelsIn('zh-CN');
    expect(zh.offerIn(NAMES, 'OFF-CARE-APOLOGY-CREDIT')).toBe('网络问题致歉礼包');
    expect(labelsIn('en').offerIn(NAMES, 'OFF-CARE-APOLOGY-CREDIT')).toBe('Network apology credit');
    expect(zh.offerIn(NAMES, null)).toBe('未推荐方案');
    expect(zh.offerIn(NAMES, 'OFF-GONE')).toBe('已下线方案');
    // An id that happens to be an Object.prototype key is no name either.
    expect(zh.offerIn(NAMES, 'toString')).toBe('已下线方案');
  });

  it('say "unknown" for a code this build has no words for, never the code itself', () => {
    expect(labelsIn('zh-CN').code('declineReason', 'too_expensive_now')).toBe('未知');
    expect(labelsIn('en').segment('D-gold')).toBe('unknown');
  });
});

describe("the churn model's reasons on the card", () => {
  const say = (language: Language, feature: string, value: string | number) =>
    reasonText({ code: FEATURE_CONTRIBUTION, params: { feature, value, effect: 0.4 } }, createDeskI18n(language).t, createFormatters(language));

  it('name the feature and coded values in words', () => {
    expect(say('zh-CN', 'plan_code', 'VIP399')).toBe('套餐 = VIP399,推高流失风险');
    expect(say('zh-CN', 'marketing_consent', 'no')).toBe('营销许可 = 否,推高流失风险');
    expect(say('en', 'monthly_fee', 129)).toBe('Monthly fee = 129 raises the risk');
  });

  it('give spend, plan fee and missing consent in words, with money as money', () => {
    const text = (language: Language, code: string, params: Record<string, number>) =>
      reasonText({ code, params }, createDeskI18n(language).t, createFormatters(language));
    expect(text('zh-CN', 'arpu_3m', { arpu: 9.43 })).toBe('近3月月均消费 ¥9.43');
    expect(text('en', 'arpu_3m', { arpu: 9.43 })).toBe('Spends ¥9.43 a month (3-month average)');
    expect(text('zh-CN', 'monthly_fee', { yuan: 19 })).toBe('套餐月费 ¥19.00');
    expect(text('en', 'monthly_fee', { yuan: 19 })).toBe('Plan fee ¥19.00 a month');
    expect(text('en', 'no_marketing_consent', {})).toBe('No marketing consent');
  });

  it('have words for every feature of the desk model, in both languages', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const { t } = createDeskI18n(language);
      for (const feature of CUSTOMER_FEATURE_COLUMNS) expect(t(`modelFeature.${feature}`, { defaultValue: '' }), feature).not.toBe('');
    }
  });
});
