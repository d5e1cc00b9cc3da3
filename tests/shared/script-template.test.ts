// fillTemplate compiles each template once per set of known facts: the same template filled for
// customers who know different facts must still say what each one's facts allow.
import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../shared/domain/script-template';

const APOLOGY = '[{?grievance}Sorry about {grievance}, {name}.|Hello {name}.] Your {planName} at {monthlyFee} yuan[ for {tenure}]. {unknownKey}';

describe('fillTemplate, one template for customers with different facts', () => {
  it('chooses the conditional parts and fills the facts anew for each set of facts, in any order', () => {
    const withGrievance = { name: '李雷', grievance: 'the outages', planName: 'Unlimited 58', monthlyFee: 58, tenure: '14 months' };
    const withoutGrievance = { name: 'Han Mei', grievance: null, planName: null, monthlyFee: 0, tenure: '' };
    const expectedWith = 'Sorry about the outages, 李雷. Your Unlimited 58 at 58 yuan for 14 months. {unknownKey}';
    const expectedWithout = 'Hello Han Mei. Your your plan at 0 yuan. {unknownKey}';

    expect(fillTemplate(APOLOGY, withGrievance, 'en')).toBe(expectedWith);
    expect(fillTemplate(APOLOGY, withoutGrievance, 'en')).toBe(expectedWithout);
    expect(fillTemplate(APOLOGY, withGrievance, 'en')).toBe(expectedWith);
    // Same known facts, other values: the values are the new customer's.
    expect(fillTemplate(APOLOGY, { ...withGrievance, name: '韩梅梅', grievance: 'the dropped calls' }, 'en')).toBe(
      'Sorry about the dropped calls, 韩梅梅. Your Unlimited 58 at 58 yuan for 14 months. {unknownKey}',
    );
  });

  it('says the fallback of the language asked for', () => {
    expect(fillTemplate('{planName}', {}, 'zh')).toBe('当前套餐');
    expect(fillTemplate('{planName}', {}, 'en')).toBe('your plan');
  });
});
