// @vitest-environment jsdom
// Nothing the agent typed is lost: a second call opens beside the first (its draft intact,
// switchable with Alt+I), drafts reach the desk cache as they are typed and come back after a
// reload, and an interaction closes without an outcome only by a confirmed, audit-logged discard.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_INTERACTION_DRAFT, type OpenInteraction } from '../../shared/contract/desk-api';
import { FakeDeskClient, FakeInteractionDesk } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, NOW, OUTBOUND_QUEUE, prospectCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

function deskClient(desk = new FakeInteractionDesk()) {
  const client = new FakeDeskClient({
    ...desk.handlers,
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': ({ phone }) => (phone === '13800138000' ? knownCard() : prospectCard(phone)),
    'card/byCustomer': () => knownCard(),
    'outbound/queue': () => OUTBOUND_QUEUE,
  });
  const ring = (event: Parameters<typeof callEvent>[0], callId: string, ani?: string) => act(() => client.emit(desk.follow(callEvent(event, callId, ani))));
  return { client, desk, ring };
}

const note = () => (screen.getByTestId('outcome-note') as HTMLTextAreaElement).value;
const tabs = () => screen.getAllByTestId('interaction-tab');

describe('open interactions', () => {
  it('opens a second call beside the first: the first draft stays intact and Alt+I switches back to it', async () => {
    const { client, desk, ring } = deskClient();
    const { store } = renderDesk(client);
    await screen.findByText('等待来电');
    ring('offered', 'call-1', '13800138000');
    await screen.findByTestId('card');
    fireEvent.click(screen.getByTestId('outcome-declined'));
    fireEvent.change(screen.getByTestId('outcome-reason'), { target: { value: 'price' } });
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '嫌贵,下月再说' } });
    ring('ended', 'call-1');

    ring('offered', 'call-2', '13900001111');
    await waitFor(() => expect(screen.getByTestId('card').dataset.kind).toBe('prospect'));
    expect(tabs().map((tab) => [tab.dataset.interactionId, tab.dataset.state, tab.getAttribute('aria-selected')])).toEqual([
      ['call-1', 'wrap_up', 'false'],
      ['call-2', 'ringing', 'true'],
    ]);
    expect(within(tabs()[0]!).getByTestId('interaction-has-draft')).toBeTruthy();
    // The new call's form is its own, empty one; the first call's draft is on the desk.
    expect(note()).toBe('');
    await waitFor(() =>
      expect(desk.open.get('call-1')?.draft).toEqual({ ...EMPTY_INTERACTION_DRAFT, result: 'declined', declineReason: 'price', note: '嫌贵,下月再说' }),
    );

    fireEvent.keyDown(window, { code: 'KeyI', altKey: true });
    expect(store.getState().activeInteractionId).toBe('call-1');
    expect(screen.getByTestId('card-name').textContent).toContain('张伟');
    expect(screen.getByTestId('outcome-declined').getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('outcome-reason') as HTMLSelectElement).value).toBe('price');
    expect(note()).toBe('嫌贵,下月再说');
    expect(screen.getByTestId('wrap-up')).toBeTruthy();

    fireEvent.keyDown(window, { code: 'KeyI', altKey: true });
    expect(store.getState().activeInteractionId).toBe('call-2');
    expect(screen.queryByTestId('wrap-up')).toBeNull();
    expect(screen.getByTestId('shortcut-hints').querySelector('[data-keys="Alt+I"]')).not.toBeNull();
  });

  it('sends the last keystrokes of a draft before another call takes the screen, even while the save waits for more typing', async () => {
    const { client, desk, ring } = deskClient();
    renderDesk(client, { draftSaveDelayMs: 1_000_000 });
    await screen.findByText('等待来电');
    ring('offered', 'call-1', '13800138000');
    await screen.findByTestId('card');
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '客户在开车' } });
    expect(client.callsTo('interaction/saveDraft')).toEqual([]);

    ring('offered', 'call-2', '13900001111');
    await waitFor(() => expect(client.callsTo('interaction/saveDraft')).toHaveLength(1));
    expect(desk.open.get('call-1')?.draft.note).toBe('客户在开车');
  });

  it('sends the waiting keystrokes at once when the page goes (a reload, the window closed)', async () => {
    const { client, desk, ring } = deskClient();
    renderDesk(client, { draftSaveDelayMs: 1_000_000 });
    await screen.findByText('等待来电');
    ring('offered', 'call-1', '13800138000');
    await screen.findByTestId('card');
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '稍后回电' } });
    expect(client.callsTo('interaction/saveDraft')).toEqual([]);

    fireEvent(window, new Event('pagehide'));
    await waitFor(() => expect(desk.open.get('call-1')?.draft.note).toBe('稍后回电'));
  });

  it('restores the open calls, the card on screen and its draft after a reload', async () => {
    const wrapUp: OpenInteraction = {
      interactionId: 'call-7',
      request: { by: 'phone', phone: '13800138000', callId: 'call-7', source: 'call' },
      card: knownCard(),
      state: 'wrap_up',
      openedAt: '2025-06-15T08:55:00Z',
      wrapUpStartedAt: new Date(NOW.getTime() - 75_000).toISOString(),
      draft: { ...EMPTY_INTERACTION_DRAFT, result: 'callback', callbackAt: '2025-06-16T10:30', note: '明早再打' },
    };
    const { client } = deskClient(new FakeInteractionDesk([wrapUp]));
    renderDesk(client);

    const card = await screen.findByTestId('card');
    expect(within(card).getByTestId('card-name').textContent).toContain('张伟');
    expect(screen.getByTestId('outcome-callback').getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('outcome-callback-at') as HTMLInputElement).value).toBe('2025-06-16T10:30');
    expect(note()).toBe('明早再打');
    expect(screen.getByTestId('wrap-up-timer').textContent).toBe('01:15');
    // Shown from the card kept with the interaction: no lookup, no second audit row.
    expect(client.callsTo('card/byPhone')).toEqual([]);
  });

  it('discards only after an explicit confirmation: Escape keeps it, confirming audit-logs the reason and the draft', async () => {
    const { client, desk, ring } = deskClient();
    renderDesk(client);
    await screen.findByText('等待来电');
    ring('offered', 'call-1', '13800138000');
    await screen.findByTestId('card');
    fireEvent.change(screen.getByTestId('outcome-note'), { target: { value: '打错了' } });

    fireEvent.keyDown(window, { code: 'KeyD', altKey: true });
    const dialog = screen.getByTestId('discard-confirm');
    expect(dialog.textContent).toContain('审计日志');
    expect(document.activeElement).toBe(screen.getByTestId('discard-keep'));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByTestId('discard-confirm')).toBeNull();
    expect(client.callsTo('interaction/discard')).toEqual([]);

    fireEvent.click(screen.getByTestId('interaction-discard'));
    fireEvent.change(screen.getByTestId('discard-reason'), { target: { value: '客户拨错号码' } });
    fireEvent.click(screen.getByTestId('discard-yes'));
    await waitFor(() => expect(desk.discards).toHaveLength(1));
    expect(client.callsTo('interaction/discard')).toEqual([{ interactionId: 'call-1', confirmed: true, reason: '客户拨错号码' }]);
    expect(desk.discards[0]!.draft.note).toBe('打错了');
    await waitFor(() => expect(screen.queryByTestId('open-interactions')).toBeNull());
    expect(screen.queryByTestId('card')).toBeNull();
  });

  it('keeps an outbound call open beside the next one, and Alt+E ends it into its wrap-up', async () => {
    const { client, desk } = deskClient();
    renderDesk(client);
    await screen.findByTestId('tab-outbound');
    fireEvent.keyDown(window, { code: 'KeyQ', altKey: true });
    fireEvent.click((await screen.findAllByTestId('queue-item'))[0]!);
    await screen.findByTestId('card');
    await waitFor(() => expect(desk.open.size).toBe(1));
    expect(tabs()[0]!.dataset.state).toBe('talking');
    expect(screen.queryByTestId('wrap-up')).toBeNull();

    fireEvent.keyDown(window, { code: 'KeyE', altKey: true });
    await waitFor(() => expect(tabs()[0]!.dataset.state).toBe('wrap_up'));
    expect(screen.getByTestId('wrap-up-timer').textContent).toBe('00:00');

    fireEvent.keyDown(window, { code: 'KeyQ', altKey: true });
    fireEvent.click((await screen.findAllByTestId('queue-item'))[1]!);
    await waitFor(() => expect(tabs()).toHaveLength(2));
    expect(desk.open.size).toBe(2);
  });
});
