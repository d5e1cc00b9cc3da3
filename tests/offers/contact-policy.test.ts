import { describe, expect, it } from 'vitest';
import type { CardOutcome } from '../../shared/contract/desk-api';
import { contactLog, contactPolicyBlock, type PolicyFacts } from '../../shared/offers/contact-policy';
import { NOW, history, offer } from './fixtures';

const consenting: PolicyFacts = { marketingConsent: true, doNotDisturb: false };
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const deskOutcome = (offerId: string, result: CardOutcome['result'], at: string): CardOutcome => ({
  outcomeId: `desk-${at}`,
  recordedAt: at,
  result,
  offerId,
  channel: 'hotline',
  note: '',
  syncState: 'pending',
});

describe('contact policy', () => {
  const upsell = offer('data-10g', { contactPolicy: { cooldownDays: 30, requiresMarketingConsent: true, allowedWhenDoNotDisturb: false } });
  const care = offer('apology', { kind: 'care', contactPolicy: { cooldownDays: 30, requiresMarketingConsent: false, allowedWhenDoNotDisturb: true } });
  const noHistory = contactLog(null, []);

  it('holds back an offer presented within its cooldown, from the synced history', () => {
    const log = contactLog(history([{ offerId: 'data-10g', result: 'declined', at: daysAgo(12) }]), []);
    expect(contactPolicyBlock(upsell, consenting, 'hotline', log, NOW)).toEqual({ code: 'contact_cooldown', params: { days: 12, cooldownDays: 30 } });
    const old = contactLog(history([{ offerId: 'data-10g', result: 'callback', at: daysAgo(30) }]), []);
    expect(contactPolicyBlock(upsell, consenting, 'hotline', old, NOW)).toBeNull();
  });

  it('takes the newer of the synced history and the desk’s own outcomes; not_presented does not count', () => {
    const log = contactLog(history([{ offerId: 'data-10g', result: 'declined', at: daysAgo(40) }]), [deskOutcome('data-10g', 'declined', daysAgo(2))]);
    expect(contactPolicyBlock(upsell, consenting, 'hotline', log, NOW)?.params).toEqual({ days: 2, cooldownDays: 30 });
    const notPresented = contactLog(history([{ offerId: 'data-10g', result: 'not_presented', at: daysAgo(1) }]), [
      deskOutcome('data-10g', 'not_presented', daysAgo(0)),
    ]);
    expect(contactPolicyBlock(upsell, consenting, 'hotline', notPresented, NOW)).toBeNull();
  });

  it('says an offer was already accepted within the cooldown, even after a later decline', () => {
    const log = contactLog(
      history([
        { offerId: 'data-10g', result: 'declined', at: daysAgo(3) },
        { offerId: 'data-10g', result: 'accepted', at: daysAgo(20) },
      ]),
      [],
    );
    expect(contactPolicyBlock(upsell, consenting, 'hotline', log, NOW)).toEqual({ code: 'offer_already_accepted', params: { days: 20, cooldownDays: 30 } });
  });

  it('never suppresses on history when the cooldown is 0', () => {
    const log = contactLog(null, [deskOutcome('data-10g', 'accepted', daysAgo(0))]);
    const noCooldown = offer('data-10g', { contactPolicy: { ...upsell.contactPolicy, cooldownDays: 0 } });
    expect(contactPolicyBlock(noCooldown, consenting, 'hotline', log, NOW)).toBeNull();
  });

  it('needs marketing consent for marketing offers only; a calling prospect has asked, an outbound call needs consent', () => {
    expect(contactPolicyBlock(upsell, { marketingConsent: false, doNotDisturb: false }, 'store', noHistory, NOW)).toEqual({
      code: 'no_marketing_consent',
      params: {},
    });
    expect(contactPolicyBlock(care, { marketingConsent: false, doNotDisturb: false }, 'store', noHistory, NOW)).toBeNull();
    expect(contactPolicyBlock(upsell, { marketingConsent: null, doNotDisturb: null }, 'hotline', noHistory, NOW)).toBeNull();
    expect(contactPolicyBlock(upsell, { marketingConsent: null, doNotDisturb: null }, 'outbound', noHistory, NOW)?.code).toBe('no_marketing_consent');
  });

  it('spares a do-not-disturb customer unless the offer allows it, and never calls them outbound', () => {
    const dnd: PolicyFacts = { marketingConsent: true, doNotDisturb: true };
    expect(contactPolicyBlock(upsell, dnd, 'hotline', noHistory, NOW)).toEqual({ code: 'do_not_disturb', params: { channel: 'hotline' } });
    expect(contactPolicyBlock(care, dnd, 'hotline', noHistory, NOW)).toBeNull();
    expect(contactPolicyBlock(care, dnd, 'outbound', noHistory, NOW)).toEqual({ code: 'do_not_disturb', params: { channel: 'outbound' } });
  });
});
