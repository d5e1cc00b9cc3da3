// A number typed to look up must be a mobile number: the contract refuses anything else, so the
// desk backend (which parses every channel's input with it) refuses it whatever the UI lets through.
import { describe, expect, it } from 'vitest';
import { deskContract } from '../../shared/contract/desk-api';
import { isMobileNumber, NOT_A_MOBILE_NUMBER } from '../../shared/domain/phone';

const byPhone = deskContract['card/byPhone'].input;

describe('looking a number up', () => {
  it('refuses what is not a mobile number, with the reason', () => {
    for (const phone of ['abc-123', '13', '1380013800', '138001380001', '12800138000', '010-12345678']) {
      const parsed = byPhone.safeParse({ phone, purpose: 'lookup' });
      expect(parsed.success, phone).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({ path: ['phone'], message: NOT_A_MOBILE_NUMBER });
    }
    // purpose defaults to lookup
    expect(byPhone.safeParse({ phone: '13' }).success).toBe(false);
  });

  it('accepts a mobile number in the forms people type it', () => {
    for (const phone of ['13800138000', '+86 138 0013 8000', '0086-138-0013-8000', '(138) 0013-8000']) {
      expect(isMobileNumber(phone), phone).toBe(true);
      expect(byPhone.safeParse({ phone, purpose: 'lookup' }).success, phone).toBe(true);
    }
  });

  it("still opens a ringing call's card for a landline or withheld number (a prospect card)", () => {
    expect(byPhone.safeParse({ phone: '010-12345678', callId: 'call-1', purpose: 'call' }).success).toBe(true);
    expect(byPhone.safeParse({ phone: 'anonymous', callId: 'call-1', purpose: 'call' }).success).toBe(true);
  });
});
