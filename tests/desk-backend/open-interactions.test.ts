// Open interactions in the desk cache: a ringing call is stored as the push arrives, follows the
// CTI into its wrap-up, keeps its draft across a desk restart, and leaves only with its outcome
// (same transaction) or by an explicit, audit-logged discard.
import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomerCard, InteractionDraft, OpenInteraction } from '../../shared/contract/desk-api';
import { queuedUploads, readCache, useBackendOnMock } from './support/backend-harness';
import { makeCustomer, makeOffer } from '../db/support/fixtures';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const AGENT = 'agent-li';
const DRAFT: InteractionDraft = {
  result: 'declined',
  note: '嫌贵,下月再说',
  callbackAt: '',
  declineReason: 'price',
  notPresentedReason: null,
  chosenOfferId: 'o-1',
};
const outcomeFor = (callId: string) => ({
  callId,
  customerId: 'c-1',
  phone: '13800000001',
  offerId: 'o-1',
  result: 'declined',
  declineReason: 'price',
  channel: 'hotline',
  note: DRAFT.note,
});

describe('open interactions', () => {
  const desk = useBackendOnMock(temp, (mock) => {
    mock.put('customer', makeCustomer(1));
    mock.put('offer', makeOffer('o-1'));
  });
  beforeEach(() => desk.h.loginAndSync('li'));

  const pendingDiscardUploads = () => queuedUploads(desk.cachePath, 'discard_outbox');
  const list = async () => (await desk.h.call<{ interactions: OpenInteraction[] }>('interaction/list')).interactions;
  const ring = async (callId: string, event: 'offered' | 'answered' | 'ended', ani = '+8613800000001') => {
    const before = desk.h.events.length;
    await until(() => desk.mock.pushCall({ callId, ani, agentId: AGENT, event }) > 0);
    await until(() => desk.h.events.slice(before).some((e) => e.type === 'call' && e.event.callId === callId && e.event.event === event));
  };

  it('stores a ringing call with its card, follows it to the wrap-up and keeps it beside a second call', async () => {
    await ring('call-1', 'offered');
    const [ringing] = await list();
    expect(ringing).toMatchObject({
      interactionId: 'call-1',
      request: { by: 'phone', phone: '+8613800000001', callId: 'call-1', source: 'call' },
      state: 'ringing',
      wrapUpStartedAt: null,
    });
    expect(ringing!.card?.customer?.id).toBe('c-1');

    await ring('call-1', 'answered');
    expect((await list())[0]!.state).toBe('talking');
    await ring('call-1', 'ended');
    const [ended] = await list();
    expect(ended!.state).toBe('wrap_up');
    const endEvent = desk.h.events.findLast((e) => e.type === 'call' && e.event.event === 'ended');
    expect(ended!.wrapUpStartedAt).toBe(endEvent?.type === 'call' ? endEvent.at : 'missing');
    // A late 'answered' does not reopen a call that ended.
    await ring('call-1', 'answered');
    expect((await list())[0]!.state).toBe('wrap_up');

    await desk.h.call('interaction/saveDraft', { interactionId: 'call-1', draft: DRAFT });
    await ring('call-2', 'offered', '+8613900000002');
    const both = await list();
    expect(both.map((i) => i.interactionId)).toEqual(['call-1', 'call-2']);
    expect(both[0]!.draft).toEqual(DRAFT);
    expect(both[1]).toMatchObject({ state: 'ringing', card: { kind: 'prospect' } });
  });

  it('keeps the draft and the card across a desk restart', async () => {
    await ring('call-1', 'offered');
    await ring('call-1', 'ended');
    await desk.h.call('interaction/saveDraft', { interactionId: 'call-1', draft: DRAFT });
    await desk.restart();
    await desk.h.call('session/login', { username: 'li', password: 'secret' });
    const [restored] = await list();
    expect(restored).toMatchObject({ interactionId: 'call-1', state: 'wrap_up', draft: DRAFT });
    expect(restored!.card?.customer?.name).toBe(makeCustomer(1).name);
  });

  it('closes the interaction in the transaction that records its outcome, and only that one', async () => {
    await ring('call-1', 'offered');
    await ring('call-2', 'offered');
    const recorded = await desk.h.call<{ outcomeId: string }>('outcome/record', { ...outcomeFor('call-1'), interactionId: 'call-1' });
    expect((await list()).map((i) => i.interactionId)).toEqual(['call-2']);
    await until(() => desk.mock.committedOutcomeIds().includes(recorded.outcomeId));
    // The interaction id stays on the desk: the uploaded outcome is the contract's draft.
    expect(desk.mock.storedOutcome(recorded.outcomeId)?.draft).not.toHaveProperty('interactionId');

    // An outcome recorded without an interaction (a counter lookup) closes none.
    await desk.h.call('outcome/record', outcomeFor('call-9'));
    expect((await list()).map((i) => i.interactionId)).toEqual(['call-2']);
  });

  it('an outcome refused by the contract leaves the interaction and its draft open', async () => {
    await ring('call-1', 'offered');
    await desk.h.call('interaction/saveDraft', { interactionId: 'call-1', draft: DRAFT });
    const refused = await desk.h.backend.invoke('outcome/record', { ...outcomeFor('call-1'), declineReason: null, interactionId: 'call-1' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await list())[0]!.draft).toEqual(DRAFT);
  });

  it('discards only on an explicit confirmation, writing who, when, why and the draft to the audit log', async () => {
    await ring('call-1', 'offered');
    await desk.h.call('interaction/saveDraft', { interactionId: 'call-1', draft: DRAFT });

    const unconfirmed = await desk.h.backend.invoke('interaction/discard', { interactionId: 'call-1' });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!unconfirmed.ok && unconfirmed.error.message).toContain('confirmed');
    expect(await list()).toHaveLength(1);

    const { discardId } = await desk.h.call<{ discardId: string }>('interaction/discard', {
      interactionId: 'call-1',
      confirmed: true,
      reason: '客户挂断,重复来电',
    });
    expect(await list()).toEqual([]);
    const again = await desk.h.backend.invoke('interaction/discard', { interactionId: 'call-1', confirmed: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const row = readCache(
      desk.cachePath,
      (db) => db.prepare('SELECT * FROM interaction_discards WHERE discard_id = ?').get(discardId) as Record<string, unknown>,
    );
    expect(row).toMatchObject({
      interaction_id: 'call-1',
      agent_id: AGENT,
      call_id: 'call-1',
      customer_id: 'c-1',
      phone_masked: '138****0001',
      state: 'ringing',
      reason: '客户挂断,重复来电',
    });
    expect(JSON.parse(row.draft as string)).toEqual(DRAFT);
    // The discard reaches the central API, where supervisors read it, and leaves the upload queue.
    await desk.h.call('sync/now');
    expect(desk.mock.discards()).toEqual([
      expect.objectContaining({ discardId, interactionId: 'call-1', agentId: AGENT, phoneMasked: '138****0001', reason: '客户挂断,重复来电', draft: DRAFT }),
    ]);
    expect(pendingDiscardUploads()).toBe(0);
  });

  it('keeps a discard in its upload queue while the central API is down, and sends it once it is back', async () => {
    await ring('call-2', 'offered');
    desk.mock.faults.setDown(true);
    const { discardId } = await desk.h.call<{ discardId: string }>('interaction/discard', { interactionId: 'call-2', confirmed: true, reason: '' });
    await desk.h.call('sync/now');
    expect(pendingDiscardUploads()).toBe(1);
    desk.mock.faults.setDown(false);
    // The upload timer retries after its backoff; the row leaves the queue once the server answered.
    await until(() => pendingDiscardUploads() === 0, 10_000, 'the discard uploaded');
    expect(desk.mock.discards().map((d) => d.discardId)).toEqual([discardId]);
  });

  it('opens an outbound call for the renderer, ends it by hand, and refuses drafts for interactions that are not open', async () => {
    const card = await desk.h.call<CustomerCard>('card/byCustomer', { customerId: 'c-1', purpose: 'outbound' });
    const request = { by: 'customer', customerId: 'c-1', callId: null, source: 'outbound' } as const;
    const opened = await desk.h.call<OpenInteraction>('interaction/open', { interactionId: 'out-1', request, card });
    expect(opened).toMatchObject({ interactionId: 'out-1', state: 'talking', card: { customer: { id: 'c-1' } } });
    await desk.h.call('interaction/saveDraft', { interactionId: 'out-1', draft: DRAFT });
    // Opening again (a second window, a retry) keeps the draft.
    expect((await desk.h.call<OpenInteraction>('interaction/open', { interactionId: 'out-1', request, card })).draft).toEqual(DRAFT);
    expect(await desk.h.call<OpenInteraction>('interaction/endCall', { interactionId: 'out-1' })).toMatchObject({
      state: 'wrap_up',
      wrapUpStartedAt: expect.any(String),
    });

    const missing = await desk.h.backend.invoke('interaction/saveDraft', { interactionId: 'nope', draft: DRAFT });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const badDraft = await desk.h.backend.invoke('interaction/saveDraft', { interactionId: 'out-1', draft: { ...DRAFT, result: 'maybe' } });
    expect(badDraft).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await list())[0]!.draft).toEqual(DRAFT);
  });

  it('shows each agent only their own interactions and needs a session', async () => {
    await ring('call-1', 'offered');
    await desk.h.call('session/logout');
    expect(await desk.h.backend.invoke('interaction/list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await desk.h.call('session/login', { username: 'wang', password: 'secret' });
    expect(await list()).toEqual([]);
    await desk.h.call('session/logout');
    await desk.h.call('session/login', { username: 'li', password: 'secret' });
    expect((await list()).map((i) => i.interactionId)).toEqual(['call-1']);
  });
});
