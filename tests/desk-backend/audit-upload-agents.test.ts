// A desk shared by two agents: one signs out before their audit rows went up, another signs in. The
// central API stores only the caller's own audit rows and refuses a batch holding another agent's
// whole, so each agent's rows must go up in that agent's own session: the second agent's rows at
// once, the first agent's kept on the desk until they sign in again. Nothing is lost or misattributed.
import { describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { queuedAuditRows, queuedUploads, useBackendOnMock } from './support/backend-harness';
import { makeCustomer } from '../db/support/fixtures';
import { useTempDir } from '../db/support/temp-dir';

const temp = useTempDir();

describe('audit uploads on a desk shared by two agents', () => {
  const desk = useBackendOnMock(temp, (mock) => {
    mock.put('customer', makeCustomer(1));
    mock.put('customer', makeCustomer(2));
  });

  /** A card view and a discarded outbound call, both audited in the signed-in agent's name. */
  async function lookAndDiscard(customerId: string, interactionId: string): Promise<void> {
    const card = await desk.h.call<CustomerCard>('card/byCustomer', { customerId, purpose: 'outbound' });
    const request = { by: 'customer', customerId, callId: null, source: 'outbound' } as const;
    await desk.h.call('interaction/open', { interactionId, request, card });
    await desk.h.call('interaction/discard', { interactionId, confirmed: true, reason: '客户挂断' });
  }

  it("uploads each agent's audit rows in that agent's session and keeps the others' on the desk until they sign in again", async () => {
    await desk.h.loginAndSync('wang');
    // Wang's rows are recorded while the central API answers nothing but errors, and wang signs out.
    desk.mock.faults.failNext(Number.MAX_SAFE_INTEGER, 503);
    await lookAndDiscard('c-1', 'out-wang');
    await desk.h.call('session/logout');
    desk.mock.faults.failNext(0);

    // Li signs in on the same desk: li's rows go up at once, wang's are not sent in li's name.
    await desk.h.loginAndSync('li');
    await lookAndDiscard('c-2', 'out-li');
    await desk.h.call('sync/now');
    expect(desk.mock.auditViews().map((v) => [v.agentId, v.customerId])).toEqual([['agent-li', 'c-2']]);
    expect(desk.mock.discards().map((d) => [d.agentId, d.interactionId])).toEqual([['agent-li', 'out-li']]);
    expect(queuedAuditRows(desk.cachePath)).toBe(1);
    expect(queuedUploads(desk.cachePath, 'discard_outbox')).toBe(1);
    expect((await desk.h.call<{ lastError: string | null }>('sync/now')).lastError).toBeNull();

    // Wang signs in again: wang's rows go up in wang's session, and the queues are empty.
    await desk.h.call('session/logout');
    await desk.h.loginAndSync('wang');
    expect(desk.mock.auditViews().map((v) => [v.agentId, v.customerId])).toEqual([
      ['agent-li', 'c-2'],
      ['agent-wang', 'c-1'],
    ]);
    expect(desk.mock.discards().map((d) => [d.agentId, d.interactionId])).toEqual([
      ['agent-li', 'out-li'],
      ['agent-wang', 'out-wang'],
    ]);
    expect(queuedAuditRows(desk.cachePath)).toBe(0);
    expect(queuedUploads(desk.cachePath, 'discard_outbox')).toBe(0);
  });
});
