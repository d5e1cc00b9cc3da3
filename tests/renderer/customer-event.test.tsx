// @vitest-environment jsdom
// Logging a complaint or a network fault during a call: a complaint asks its category and a note
// and can be undone for a few seconds; the re-scored card replaces the one on screen, the outcome
// form and the wrap-up stay, and a notice shows the new churn probability.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, prospectCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

const LOGOUT = '退出登录';

function eventClient(options: { failWith?: DeskClientError; card?: () => CustomerCard } = {}) {
  const base = knownCard();
  const rescored = knownCard({ assessment: { ...base.assessment, churnProbability: 0.62, warningLevel: 'red' } });
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'session/logout': () => ({ ok: true as const }),
    'card/byPhone': options.card ?? (() => base),
    'customer/logEvent': () => {
      if (options.failWith !== undefined) throw options.failWith;
      return rescored;
    },
  });
  return client;
}

async function popCall(client: FakeDeskClient, options: Parameters<typeof renderDesk>[1] = {}) {
  const rendered = renderDesk(client, options);
  await screen.findByText('等待来电');
  act(() => client.emit(callEvent('offered', 'call-42', '13800138000')));
  await screen.findByTestId('card');
  return rendered;
}

describe('logging a customer event during a call', () => {
  it('sends the event for the customer and call on screen and shows the re-scored card, keeping the outcome form', async () => {
    const client = eventClient();
    const { store } = await popCall(client);
    fireEvent.click(screen.getByTestId('outcome-declined'));
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '嫌贵' } });

    fireEvent.click(screen.getByTestId('log-event-complaint'));
    fireEvent.click(screen.getByTestId('complaint-category-network'));
    fireEvent.change(screen.getByTestId('complaint-note'), { target: { value: ' 晚上信号差 ' } });
    fireEvent.click(screen.getByTestId('complaint-submit'));
    const notice = await screen.findByTestId('customer-event-saved');
    expect(notice.textContent).toBe('已记录，风险已重新评估 · 流失概率 62%');
    expect(client.callsTo('customer/logEvent')).toEqual([
      { customerId: 'c-1001', callId: 'call-42', kind: 'complaint', note: '晚上信号差', category: 'network' },
    ]);
    expect(screen.queryByTestId('complaint-form')).toBeNull();
    expect(store.getState().current?.card.assessment.churnProbability).toBe(0.62);
    expect(store.getState().current?.request).toMatchObject({ source: 'call', callId: 'call-42' });
    // The call goes on: the chosen result and the note are still there, the wrap-up still due.
    expect(screen.getByTestId('outcome-declined').getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('outcome-note') as HTMLTextAreaElement).value).toBe('嫌贵');
    expect(store.getState().outcome.savedOutcomeId).toBeNull();
  });

  it('logs a network fault with Alt+W; Alt+C asks the complaint category first, and lists both shortcuts', async () => {
    const client = eventClient();
    await popCall(client);
    fireEvent.keyDown(window, { code: 'KeyW', altKey: true });
    await screen.findByTestId('customer-event-saved');
    fireEvent.keyDown(window, { code: 'KeyC', altKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('complaint-category-billing'));
    // Without a category nothing is logged: the form says what is missing.
    fireEvent.submit(screen.getByTestId('complaint-form'));
    expect(screen.getByTestId('complaint-problem').textContent).toBe('请选择投诉类别');
    expect(client.callsTo('customer/logEvent')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('complaint-category-billing'));
    fireEvent.submit(screen.getByTestId('complaint-form'));
    await waitFor(() => expect(client.callsTo('customer/logEvent')).toHaveLength(2));
    expect(client.callsTo('customer/logEvent').map((input) => (input as { kind: string }).kind)).toEqual(['network_issue', 'complaint']);
    expect(client.callsTo('customer/logEvent')[1]).toMatchObject({ category: 'billing', note: '' });
    expect(screen.getByTestId('log-event-complaint').getAttribute('title')).toBe('Alt+C');
    expect(screen.getByTestId('log-event-network_issue').getAttribute('title')).toBe('Alt+W');
  });

  it('holds a submitted complaint for its undo window: undo sends nothing and gives the form back as typed', async () => {
    const client = eventClient();
    await popCall(client, { complaintUndoMs: 1_000_000 });
    fireEvent.click(screen.getByTestId('log-event-complaint'));
    fireEvent.click(screen.getByTestId('complaint-category-service'));
    fireEvent.change(screen.getByTestId('complaint-note'), { target: { value: '营业厅态度差' } });
    fireEvent.click(screen.getByTestId('complaint-submit'));
    expect(screen.getByTestId('complaint-pending').textContent).toContain('服务投诉将在几秒后提交');
    expect(client.callsTo('customer/logEvent')).toEqual([]);

    fireEvent.click(screen.getByTestId('complaint-undo'));
    expect(screen.queryByTestId('complaint-pending')).toBeNull();
    expect((screen.getByTestId('complaint-category-service') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('complaint-note') as HTMLInputElement).value).toBe('营业厅态度差');
    fireEvent.keyDown(screen.getByTestId('complaint-form'), { key: 'Escape' });
    expect(screen.queryByTestId('complaint-form')).toBeNull();
    expect(client.callsTo('customer/logEvent')).toEqual([]);
  });

  it('logs a complaint still in its undo window before the agent logs out', async () => {
    const client = eventClient();
    await popCall(client, { complaintUndoMs: 1_000_000 });
    fireEvent.click(screen.getByTestId('log-event-complaint'));
    fireEvent.click(screen.getByTestId('complaint-category-other'));
    fireEvent.click(screen.getByTestId('complaint-submit'));
    fireEvent.click(screen.getByRole('button', { name: LOGOUT }));
    await waitFor(() => expect(client.callsTo('session/logout')).toHaveLength(1));
    expect(client.callsTo('customer/logEvent')).toEqual([{ customerId: 'c-1001', callId: 'call-42', kind: 'complaint', note: '', category: 'other' }]);
    expect(client.calls.findIndex((c) => c.operation === 'customer/logEvent')).toBeLessThan(client.calls.findIndex((c) => c.operation === 'session/logout'));
  });

  it('shows the failure and keeps the card when the event cannot be logged', async () => {
    const client = eventClient({ failWith: new DeskClientError('not_found', 'no such customer in the local cache') });
    const { store } = await popCall(client);
    const before = store.getState().current?.card;
    fireEvent.click(screen.getByTestId('log-event-network_issue'));
    const error = await screen.findByTestId('customer-event-error');
    expect(error.getAttribute('data-code')).toBe('not_found');
    expect(store.getState().current?.card).toBe(before);
  });

  it('offers no buttons on a prospect card', async () => {
    await popCall(eventClient({ card: () => prospectCard('13800138000') }));
    expect(screen.queryByTestId('customer-events')).toBeNull();
  });
});
