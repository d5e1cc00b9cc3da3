import { describe, expect, it } from 'vitest';
import { CtiCallEvent, OutcomeBatchRequest, SyncChange } from '../../shared/contract/central-api';
import { DESK_OPERATIONS, deskContract, isDeskOperation } from '../../shared/contract/desk-api';
import { EligibilityRule } from '../../shared/contract/offer-rules';
import { OutcomeDraft } from '../../shared/contract/outcomes';
import { ReportQuery } from '../../shared/contract/supervisor-reports';

const draft = { callId: 'c1', customerId: 'C1', phone: null, offerId: 'O1', result: 'accepted', channel: 'hotline' };
const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('contract validation', () => {
  it('accepts a complete outcome draft and fills defaults', () => {
    expect(OutcomeDraft.parse(draft)).toEqual({
      ...draft,
      note: '',
      callbackAt: null,
      declineReason: null,
      notPresentedReason: null,
      context: null,
    });
  });
  it('refuses a callback without a time and an offer outcome without an offer, naming the field', () => {
    expect(messages(OutcomeDraft.safeParse({ ...draft, result: 'callback' }))).toEqual(['callbackAt: a callback outcome needs callbackAt']);
    expect(messages(OutcomeDraft.safeParse({ ...draft, offerId: null }))).toEqual(['offerId: an offer outcome needs the offerId it is about']);
    expect(OutcomeDraft.safeParse({ ...draft, offerId: null, result: 'not_presented', notPresentedReason: 'customer_busy' }).success).toBe(true);
  });
  it('needs a reason code exactly for declined and not-presented outcomes', () => {
    expect(messages(OutcomeDraft.safeParse({ ...draft, result: 'declined' }))).toEqual([
      'declineReason: a declined outcome needs declineReason, and only a declined one has it',
    ]);
    expect(OutcomeDraft.safeParse({ ...draft, result: 'declined', declineReason: 'price' }).success).toBe(true);
    expect(messages(OutcomeDraft.safeParse({ ...draft, declineReason: 'price' }))).toEqual([
      'declineReason: a declined outcome needs declineReason, and only a declined one has it',
    ]);
    expect(messages(OutcomeDraft.safeParse({ ...draft, offerId: null, result: 'not_presented' }))).toEqual([
      'notPresentedReason: a not_presented outcome needs notPresentedReason, and only that one has it',
    ]);
    expect(OutcomeDraft.safeParse({ ...draft, result: 'declined', declineReason: 'because' }).success).toBe(false);
  });
  it('parses nested eligibility rules and refuses unknown fields, operators and keys', () => {
    const rule = { all: [{ field: 'stage', op: 'in', value: ['C', 'D'] }, { not: { field: 'doNotDisturb', op: 'eq', value: true } }] };
    expect(EligibilityRule.parse(rule)).toEqual(rule);
    expect(EligibilityRule.safeParse({ field: 'salary', op: 'gt', value: 1 }).success).toBe(false);
    expect(EligibilityRule.safeParse({ field: 'stage', op: 'like', value: 'C' }).success).toBe(false);
    expect(EligibilityRule.safeParse({ all: [] }).success).toBe(false);
    expect(EligibilityRule.safeParse({ all: [rule], code: 'process.exit()' }).success).toBe(false);
  });
  it('refuses a report period that ends before it starts', () => {
    expect(ReportQuery.safeParse({ from: '2026-11-01', to: '2026-11-30' }).success).toBe(true);
    expect(messages(ReportQuery.safeParse({ from: '2026-12-01', to: '2026-11-30' }))).toEqual(['from: from must not be after to']);
  });
  it('refuses unknown results, over-long notes and bad phone numbers', () => {
    expect(OutcomeDraft.safeParse({ ...draft, result: 'maybe' }).success).toBe(false);
    expect(OutcomeDraft.safeParse({ ...draft, note: 'x'.repeat(501) }).success).toBe(false);
    expect(messages(OutcomeDraft.safeParse({ ...draft, phone: '12345' }))[0]).toMatch(/^phone: a mainland mobile number/);
  });
  it('requires UUIDv7 outcome ids and bounded batches', () => {
    const item = {
      outcomeId: '0190f5e2-8c1a-7cc3-9b5e-1f2a3b4c5d6e',
      deviceId: 'd1',
      clientSeq: 1,
      agentId: 'agent01',
      recordedAt: '2026-11-29T08:00:00.000Z',
      draft,
    };
    expect(OutcomeBatchRequest.safeParse({ deviceId: 'd1', items: [item] }).success).toBe(true);
    expect(OutcomeBatchRequest.safeParse({ deviceId: 'd1', items: [{ ...item, outcomeId: crypto.randomUUID() }] }).success).toBe(false);
    expect(OutcomeBatchRequest.safeParse({ deviceId: 'd1', items: [] }).success).toBe(false);
  });
  it('validates CTI events and sync changes by their discriminators', () => {
    expect(CtiCallEvent.safeParse({ callId: 'c', ani: '13800000000', agentId: 'a', event: 'ringing' }).success).toBe(false);
    expect(SyncChange.safeParse({ seq: 1, id: 'x', version: 1, op: 'delete', entity: 'customer' }).success).toBe(true);
    expect(SyncChange.safeParse({ seq: 1, id: 'x', version: 1, op: 'upsert', entity: 'customer', data: {} }).success).toBe(false);
  });
  it('allowlists exactly the contract operations, without prototype keys', () => {
    expect(DESK_OPERATIONS).toContain('card/byPhone');
    for (const name of ['toString', '__proto__', 'constructor', 'card', '']) expect(isDeskOperation(name)).toBe(false);
    expect(deskContract['card/byPhone'].input.safeParse({ phone: '138', extra: 1 }).success).toBe(false);
  });
});
