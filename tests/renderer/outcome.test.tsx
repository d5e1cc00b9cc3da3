// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardOutcome, CustomerCard, SyncStatus } from '../../shared/contract/desk-api';
import { OutcomeDraft } from '../../shared/contract/outcomes';
import { FakeDeskClient, FakeInteractionDesk } from './fake-desk-client';
import { AGENT_SESSION, callEvent, DECLINING_ASSESSMENT, knownCard, NOW, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

const OUTCOME_ID = '0197712b-4c00-7000-8000-000000000001';

/** A backend double that remembers recorded outcomes (refusing what the contract refuses) and reports them on the card. */
function recordingClient(session = AGENT_SESSION) {
  const recorded: CardOutcome[] = [];
  let synced = false;
  const card = (): CustomerCard => knownCard({ recentOutcomes: recorded.map((o) => ({ ...o, syncState: synced ? 'synced' : 'pending' })) });
  const desk = new FakeInteractionDesk();
  const client = new FakeDeskClient({
    ...desk.handlers,
    'session/current': () => session,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': () => card(),
    'card/byCustomer': () => card(),
    'outcome/record': ({ interactionId, ...input }) => {
      const draft = OutcomeDraft.parse(input);
      desk.close(interactionId);
      recorded.push({
        outcomeId: OUTCOME_ID,
        recordedAt: NOW.toISOString(),
        result: draft.result,
        offerId: draft.offerId,
        channel: draft.channel,
        note: draft.note,
        syncState: 'pending',
      });
      return { outcomeId: OUTCOME_ID, outboxPending: 1 };
    },
  });
  return { client, desk, markSynced: () => (synced = true) };
}

async function popCall(client: FakeDeskClient, desk?: FakeInteractionDesk) {
  const rendered = renderDesk(client);
  await screen.findByText('等待来电');
  act(() => client.emit(desk?.follow(callEvent('offered', 'call-42', '13800138000')) ?? callEvent('offered', 'call-42', '13800138000')));
  await screen.findByTestId('card');
  return rendered;
}

const chooseReason = (code: string) => fireEvent.change(screen.getByTestId('outcome-reason'), { target: { value: code } });

describe('outcome capture', () => {
  it('records the shown offer with result, note, channel, call id and the card context, then shows pending and synced', async () => {
    const { client, markSynced } = recordingClient();
    await popCall(client);

    fireEvent.click(screen.getByTestId('outcome-accepted'));
    expect(screen.getByTestId('outcome-accepted').getAttribute('aria-pressed')).toBe('true');
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: ' 客户同意续约 ' } });
    fireEvent.click(screen.getByTestId('outcome-save'));

    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toEqual({
      // The desk closes the call's open interaction in the transaction that records the outcome.
      interactionId: 'call-42',
      callId: 'call-42',
      customerId: 'c-1001',
      phone: '13800138000',
      offerId: 'off-ret-1',
      result: 'accepted',
      note: '客户同意续约',
      channel: 'hotline',
      callbackAt: null,
      declineReason: null,
      notPresentedReason: null,
      context: {
        modelVersion: DECLINING_ASSESSMENT.modelVersion,
        stage: 'D',
        valueTier: 'silver',
        warningLevel: 'red',
        churnProbability: 0.95,
        segment: 'D/silver',
        rank: 1,
        expectedValue: 512.4,
        pAccept: 0.42,
        explored: false,
        arpu3m: DECLINING_ASSESSMENT.arpu3m,
      },
    });

    const saved = await screen.findByTestId('outcome-saved');
    expect(saved.dataset.syncState).toBe('pending');
    expect(saved.textContent).toBe('已保存 · 待上传');
    await waitFor(() => expect(screen.getByTestId('recent-outcomes').textContent).toContain('已接受'));
    expect(screen.getByTestId('recent-outcomes').textContent).toContain('续约送 20GB 流量');
    expect((screen.getByTestId('outcome-note') as HTMLTextAreaElement).value).toBe('');

    // The outbox drains: the sync event makes the desk re-read the card and show "synced".
    markSynced();
    const drained: SyncStatus = { ...SYNC_ONLINE, outboxPending: 0, lastSyncAt: '2025-06-15T09:01:00Z' };
    act(() => client.emit({ type: 'sync', status: { ...drained, outboxPending: 1 } }));
    act(() => client.emit({ type: 'sync', status: drained }));
    await waitFor(() => expect(screen.getByTestId('outcome-saved').dataset.syncState).toBe('synced'));
    expect(screen.getByTestId('outcome-saved').textContent).toBe('已保存 · 已同步');
    expect(client.callsTo('card/byPhone').at(-1)).toMatchObject({ purpose: 'refresh' });
  });

  it('shows an outcome as synced when the re-read after its upload answers after the one after saving it (the newest re-read wins)', async () => {
    const { client, markSynced } = recordingClient();
    await popCall(client);
    // The card re-reads answer when the test says, in the order it says.
    const answers: (() => void)[] = [];
    const call = client.call.bind(client);
    client.call = (async (operation, input) => {
      const answer = await call(operation, input);
      return operation === 'card/byPhone' ? new Promise((resolve) => answers.push(() => resolve(answer))) : answer;
    }) as typeof client.call;
    fireEvent.click(screen.getByTestId('outcome-accepted'));
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(answers).toHaveLength(1)); // the re-read after saving: the outcome still waits
    markSynced();
    act(() => client.emit({ type: 'sync', status: { ...SYNC_ONLINE, outboxPending: 0, lastSyncAt: '2025-06-15T09:01:00Z' } }));
    await waitFor(() => expect(answers).toHaveLength(2)); // the re-read after the upload: synced

    act(() => answers[0]!());
    await waitFor(() => expect(screen.getByTestId('outcome-saved').dataset.syncState).toBe('pending'));
    act(() => answers[1]!());
    await waitFor(() => expect(screen.getByTestId('outcome-saved').dataset.syncState).toBe('synced'));
    expect(screen.getByTestId('recent-outcomes').querySelector('[data-sync-state="pending"]')).toBeNull();
  });

  it('refuses a declined outcome without its reason, with the message, and keeps what was typed', async () => {
    const { client } = recordingClient();
    await popCall(client);
    fireEvent.click(screen.getByTestId('outcome-declined'));
    // The reason list takes the focus so the agent can pick with the keyboard.
    expect(document.activeElement).toBe(screen.getByTestId('outcome-reason'));
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '嫌贵' } });
    fireEvent.click(screen.getByTestId('outcome-save'));
    expect((await screen.findByTestId('outcome-problem')).textContent).toBe('客户拒绝需要选择拒绝原因');
    expect(screen.getByTestId('outcome-reason').getAttribute('aria-invalid')).toBe('true');
    expect(client.callsTo('outcome/record')).toHaveLength(0);
    expect((screen.getByTestId('outcome-note') as HTMLTextAreaElement).value).toBe('嫌贵');

    chooseReason('price');
    expect(screen.queryByTestId('outcome-problem')).toBeNull();
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ result: 'declined', declineReason: 'price', notPresentedReason: null, note: '嫌贵' });
  });

  it('needs the not-presented reason, and sends only the reason of the result chosen last', async () => {
    const { client } = recordingClient();
    await popCall(client);
    fireEvent.click(screen.getByTestId('outcome-declined'));
    chooseReason('competitor');
    fireEvent.click(screen.getByTestId('outcome-not_presented'));
    expect(screen.getByTestId('outcome-reason').textContent).toContain('客户忙');
    fireEvent.click(screen.getByTestId('outcome-save'));
    expect((await screen.findByTestId('outcome-problem')).textContent).toBe('请说明未推荐的原因');
    chooseReason('customer_busy');
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({
      result: 'not_presented',
      declineReason: null,
      notPresentedReason: 'customer_busy',
    });
  });

  it('records an alternative offer after the agent switches to it, with its own rank and exploration', async () => {
    const { client } = recordingClient();
    await popCall(client);
    fireEvent.click(within(screen.getByTestId('offer-alt-0')).getByRole('button'));
    expect(screen.getByTestId('offer-best').textContent).toContain('网络问题致歉礼包');
    expect(screen.getByTestId('offer-alt-0').textContent).toContain('续约送 20GB 流量');
    fireEvent.click(screen.getByTestId('outcome-declined'));
    chooseReason('no_need');
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({
      offerId: 'off-care-1',
      result: 'declined',
      context: { rank: 2, expectedValue: 180, pAccept: 0.6, explored: true },
    });
  });

  it('requires a future callback time before saving a callback', async () => {
    const { client } = recordingClient();
    await popCall(client);

    expect(screen.queryByTestId('outcome-callback-at')).toBeNull();
    fireEvent.click(screen.getByTestId('outcome-callback'));
    const when = screen.getByTestId('outcome-callback-at') as HTMLInputElement;

    fireEvent.click(screen.getByTestId('outcome-save'));
    expect((await screen.findByTestId('outcome-problem')).textContent).toBe('预约回访需要填写回访时间');
    expect(client.callsTo('outcome/record')).toHaveLength(0);

    fireEvent.change(when, { target: { value: '2025-06-01T10:00' } });
    fireEvent.click(screen.getByTestId('outcome-save'));
    expect((await screen.findByTestId('outcome-problem')).textContent).toBe('回访时间须晚于当前时间');

    fireEvent.change(when, { target: { value: '2025-06-16T10:30' } });
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({
      result: 'callback',
      offerId: 'off-ret-1',
      callbackAt: new Date('2025-06-16T10:30').toISOString(),
    });
  });

  it('books a callback only within the contact hours on the operator’s clock, whatever the desk’s time zone', async () => {
    const { client } = recordingClient();
    await popCall(client);
    fireEvent.click(screen.getByTestId('outcome-callback'));
    expect(screen.getByTestId('outcome-contact-hours').textContent).toBe('联系时段 08:00–21:00(北京时间)');
    // The input takes the desk's local wall-clock time; these are 23:30 and 10:30 in China.
    const localInput = (instant: string) => {
      const d = new Date(instant);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
    };
    const when = screen.getByTestId('outcome-callback-at');
    fireEvent.change(when, { target: { value: localInput('2025-06-16T15:30:00Z') } });
    fireEvent.click(screen.getByTestId('outcome-save'));
    expect((await screen.findByTestId('outcome-problem')).textContent).toBe('回访时间须在联系时段 08:00–21:00(北京时间)内');
    expect(client.callsTo('outcome/record')).toHaveLength(0);

    fireEvent.change(when, { target: { value: localInput('2025-06-16T02:30:00Z') } });
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ result: 'callback', callbackAt: '2025-06-16T02:30:00.000Z' });
  });

  it('uses the hotline channel and no call id for a number an agent looks up by hand', async () => {
    const { client } = recordingClient();
    renderDesk(client);
    fireEvent.change(await screen.findByTestId('lookup-input'), { target: { value: '13800138000' } });
    fireEvent.click(screen.getByTestId('lookup-submit'));
    await screen.findByTestId('card');
    fireEvent.click(screen.getByTestId('outcome-not_presented'));
    chooseReason('not_relevant');
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({
      channel: 'hotline',
      callId: null,
      result: 'not_presented',
      notPresentedReason: 'not_relevant',
    });
  });

  it('chooses, gives the reason and saves with the keyboard (Alt+2, Alt+R, Alt+S)', async () => {
    const { client } = recordingClient();
    await popCall(client);

    fireEvent.keyDown(window, { code: 'Digit2', altKey: true });
    expect(screen.getByTestId('outcome-declined').getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(window, { code: 'KeyN', altKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('outcome-note'));
    fireEvent.keyDown(window, { code: 'KeyR', altKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('outcome-reason'));
    chooseReason('network');
    fireEvent.keyDown(window, { code: 'KeyS', altKey: true });
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ result: 'declined', declineReason: 'network' });

    fireEvent.keyDown(window, { code: 'KeyL', altKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('lookup-input'));
  });
});

describe('wrap-up', () => {
  const endedAt = (seconds: number) => ({ ...callEvent('ended', 'call-42'), at: new Date(NOW.getTime() - seconds * 1000).toISOString() });

  it('asks for the outcome only once the call has ended, and counts the wrap-up time', async () => {
    const { client, desk } = recordingClient();
    await popCall(client, desk);
    // Ringing and talking: the agent is still with the caller, no banner yet.
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    act(() => client.emit(desk.follow(callEvent('answered', 'call-42'))));
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    expect(screen.getByTestId('interaction-tab').dataset.state).toBe('talking');

    act(() => client.emit(desk.follow(endedAt(42))));
    expect(screen.getByTestId('wrap-up').textContent).toContain('话后处理');
    expect(screen.getByTestId('wrap-up-timer').textContent).toBe('00:42');
    expect(screen.getByTestId('interaction-tab').dataset.state).toBe('wrap_up');
  });

  it('opens a lookup beside the call in wrap-up: the call stays listed with its draft, and comes back with it', async () => {
    const { client, desk } = recordingClient();
    const { store } = await popCall(client, desk);
    act(() => client.emit(desk.follow(endedAt(5))));
    fireEvent.click(screen.getByTestId('outcome-accepted'));
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '客户同意' } });

    fireEvent.change(screen.getByTestId('lookup-input'), { target: { value: '13900002222' } });
    fireEvent.click(screen.getByTestId('lookup-submit'));
    await waitFor(() => expect(store.getState().current?.request.source).toBe('lookup'));
    expect(client.callsTo('card/byPhone')[1]).toEqual({ phone: '13900002222', callId: null, purpose: 'lookup' });
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    const tab = screen.getByTestId('interaction-tab');
    expect(tab.getAttribute('aria-selected')).toBe('false');
    expect(within(tab).getByTestId('interaction-has-draft')).toBeTruthy();
    await waitFor(() => expect(desk.open.get('call-42')?.draft).toMatchObject({ result: 'accepted', note: '客户同意' }));

    fireEvent.keyDown(window, { code: 'KeyI', altKey: true });
    expect(store.getState().current?.request).toMatchObject({ source: 'call', callId: 'call-42' });
    expect(screen.getByTestId('outcome-accepted').getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('outcome-note') as HTMLTextAreaElement).value).toBe('客户同意');
    expect(screen.getByTestId('wrap-up')).toBeTruthy();
  });

  it('closes the interaction once the call outcome is saved, and lets the next customer through', async () => {
    const { client, desk } = recordingClient();
    await popCall(client, desk);
    fireEvent.click(screen.getByTestId('outcome-accepted'));
    fireEvent.click(screen.getByTestId('outcome-save'));
    await screen.findByTestId('outcome-saved');
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    expect(screen.queryByTestId('open-interactions')).toBeNull();
    expect(desk.open.size).toBe(0);
    fireEvent.change(screen.getByTestId('lookup-input'), { target: { value: '13900002222' } });
    fireEvent.click(screen.getByTestId('lookup-submit'));
    await waitFor(() => expect(client.callsTo('card/byPhone').filter((c) => (c as { purpose: string }).purpose === 'lookup')).toHaveLength(1));
  });
});
