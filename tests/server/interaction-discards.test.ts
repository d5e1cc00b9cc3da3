// Calls agents closed without an outcome reach the central API, once each, only in their own name
// and masked, and supervisors read them back page by page.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionDiscardList, type InteractionDiscard } from '../../shared/contract/interaction-audit';
import type { CentralApi } from '../../server/app';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';

let api: CentralApi;
const token: Record<string, string> = {};
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  for (const user of ['agent01', 'agent02', 'sup01']) token[user] = await login(api.app, user);
});
afterAll(() => api?.close());

const discard = (agentId: string, overrides: Partial<InteractionDiscard> = {}): InteractionDiscard => ({
  discardId: uuidv7(),
  interactionId: `call-${uuidv7().slice(-6)}`,
  agentId,
  customerId: 'CUS0000001',
  callId: null,
  phoneMasked: '138****0001',
  state: 'wrap_up',
  openedAt: '2026-12-07T01:00:00.000Z',
  reason: '客户挂断',
  draft: { result: 'declined', note: '嫌贵', callbackAt: '', declineReason: 'price', notPresentedReason: null, chosenOfferId: null },
  discardedAt: '2026-12-07T01:04:00.000Z',
  ...overrides,
});
const post = (user: string, items: InteractionDiscard[]) =>
  api.app.inject({ method: 'POST', url: '/audit/interaction-discards', headers: bearer(token[user]!), payload: { deviceId: 'desk-1', items } });

describe('POST /audit/interaction-discards', () => {
  it('stores each discard once (a resend is a duplicate) and lists them for supervisors, by agent', async () => {
    const first = discard('agent01');
    expect((await post('agent01', [first])).json()).toEqual({ stored: 1, duplicates: 0 });
    expect((await post('agent01', [first, discard('agent01')])).json()).toEqual({ stored: 1, duplicates: 1 });
    await post('agent02', [discard('agent02')]);

    const page = async (query: string) =>
      InteractionDiscardList.parse(
        (await api.app.inject({ method: 'GET', url: `/audit/interaction-discards?${query}`, headers: bearer(token.sup01!) })).json(),
      );
    const mine = await page('agentId=agent01');
    expect(mine.discards).toHaveLength(2);
    expect(mine.discards[0]).toMatchObject({ ...first, serverSeq: expect.any(Number), receivedAt: expect.any(String) });
    const all = await page('limit=2');
    expect(all.discards).toHaveLength(2);
    expect((await page(`after=${all.nextCursor}`)).discards).toHaveLength(1);
  });

  it('refuses a batch with another agent’s discard or a clear number, storing nothing of it', async () => {
    const mine = discard('agent01');
    expect(expectApiError(await post('agent01', [mine, discard('agent02')]), 403).error).toBe('agent_mismatch');
    expect(expectApiError(await post('agent01', [discard('agent01', { phoneMasked: '13800000001' })]), 400).error).toBe('clear_phone_number');
    expectApiError(await post('agent01', [{ ...discard('agent01'), state: 'on_hold' as never }]), 400);
    expect((await post('agent01', [mine])).json()).toEqual({ stored: 1, duplicates: 0 });
  });
});
