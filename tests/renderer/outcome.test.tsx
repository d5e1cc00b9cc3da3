// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardOutcome, CustomerCard, SyncStatus } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, NOW, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

const OUTCOME_ID = '0197712b-4c00-7000-8000-000000000001';

/** A backend double that remembers recorded outcomes and reports them on the card. */
function recordingClient() {
  const recorded: CardOutcome[] = [];
  let synced = false;
  const card = (): CustomerCard =>
    knownCard({ recentOutcomes: recorded.map((o) => ({ ...o, syncState: synced ? 'synced' : 'pending' })) });
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': () => card(),
    'outcome/record': (draft) => {
      recorded.push({
        outcomeId: OUTCOME_ID,
        recordedAt: NOW.toISOString(),
        result: draft.result,
        offerId: draft.offerId,
        channel: draft.channel,
        note: draft.note ?? '',
        syncState: 'pending',
      });
      return { outcomeId: OUTCOME_ID, outboxPending: 1 };
    },
  });
  return { client, markSynced: () => (synced = true) };
}

async function popCall(client: FakeDeskClient) {
  renderDesk(client);
  await screen.findByText('等待来电');
  act(() => client.emit(callEvent('offered', 'call-42', '13800138000')));
  return screen.findByTestId('card');
}

describe('outcome capture', () => {
  it('records the shown offer with result, note, hotline channel and call id, then shows pending and synced', async () => {
    const { client, markSynced } = recordingClient();
    await popCall(client);

    fireEvent.click(screen.getByTestId('outcome-accepted'));
    expect(screen.getByTestId('outcome-accepted').getAttribute('aria-pressed')).toBe('true');
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: ' 客户同意续约 ' } });
    fireEvent.click(screen.getByTestId('outcome-save'));

    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toEqual({
      callId: 'call-42',
      customerId: 'c-1001',
      phone: '13800138000',
      offerId: 'off-ret-1',
      result: 'accepted',
      note: '客户同意续约',
      channel: 'hotline',
      callbackAt: null,
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
  });

  it('records an alternative offer after the agent switches to it', async () => {
    const { client } = recordingClient();
    const card = await popCall(client);
    fireEvent.click(within(within(card).getByTestId('offer-alt-0')).getByRole('button'));
    expect(screen.getByTestId('offer-best').textContent).toContain('网络问题致歉礼包');
    expect(screen.getByTestId('offer-alt-0').textContent).toContain('续约送 20GB 流量');
    fireEvent.click(screen.getByTestId('outcome-declined'));
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ offerId: 'off-care-1', result: 'declined' });
  });

  it('requires a future callback time before saving a callback', async () => {
    const { client } = recordingClient();
    await popCall(client);

    const when = screen.getByTestId('outcome-callback-at') as HTMLInputElement;
    expect(when.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('outcome-callback'));
    expect(when.disabled).toBe(false);

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

  it('uses the store channel and no call id for a number looked up by hand', async () => {
    const { client } = recordingClient();
    renderDesk(client);
    fireEvent.change(await screen.findByTestId('lookup-input'), { target: { value: '13800138000' } });
    fireEvent.click(screen.getByTestId('lookup-submit'));
    await screen.findByTestId('card');
    fireEvent.click(screen.getByTestId('outcome-not_presented'));
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ channel: 'store', callId: null, result: 'not_presented' });
  });

  it('chooses and saves with the keyboard (Alt+2, Alt+S) and steps through objections (Alt+O)', async () => {
    const { client } = recordingClient();
    await popCall(client);

    fireEvent.keyDown(window, { code: 'KeyO', altKey: true });
    expect(screen.getByTestId('objection-price').getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('objection-price-answer').textContent).toBe('优惠后每月更省钱。');
    fireEvent.keyDown(window, { code: 'KeyO', altKey: true });
    expect(screen.getByTestId('objection-network').getAttribute('aria-expanded')).toBe('true');
    expect(screen.queryByTestId('objection-price-answer')).toBeNull();

    fireEvent.keyDown(window, { code: 'Digit2', altKey: true });
    expect(screen.getByTestId('outcome-declined').getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(window, { code: 'KeyS', altKey: true });
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ result: 'declined' });

    fireEvent.keyDown(window, { code: 'KeyL', altKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('lookup-input'));
  });
});
