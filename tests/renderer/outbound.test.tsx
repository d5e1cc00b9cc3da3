// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundQueue } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, knownCard, OUTBOUND_QUEUE, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

function queueClient(queue: OutboundQueue = OUTBOUND_QUEUE) {
  return new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'outbound/queue': () => queue,
    'card/byCustomer': () => knownCard(),
  });
}

describe('outbound queue', () => {
  it('lists callbacks first with their time, then at-risk customers in the ranked order', async () => {
    renderDesk(queueClient());
    fireEvent.click(await screen.findByTestId('tab-outbound'));
    const rows = await screen.findAllByTestId('queue-item');
    expect(rows.map((r) => r.dataset.customerId)).toEqual(['c-2002', 'c-2001', 'c-2003']);
    expect(rows[0]!.textContent).toContain('回访');
    expect(rows[0]!.textContent).toContain('降档保号 59 元');
    expect(rows[1]!.textContent).toContain('高危');
    expect(rows[1]!.textContent).toContain('预期价值 ¥512.40');
    expect(rows[1]!.textContent).toContain('红色预警');
    expect(rows[2]!.textContent).toContain('—');
    expect(screen.queryByTestId('outbound-cached')).toBeNull();
  });

  it('opens the highlighted customer with Enter as an outbound card, which stays open beside the next one until its outcome', async () => {
    const client = queueClient();
    renderDesk(client);
    await screen.findByTestId('tab-outbound');
    fireEvent.keyDown(window, { code: 'KeyQ', altKey: true });
    const list = await screen.findByTestId('outbound-list');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(within(list).getAllByTestId('queue-item')[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'Enter' });
    await screen.findByTestId('card');
    expect(client.callsTo('card/byCustomer')).toEqual([{ customerId: 'c-2001', callId: null, purpose: 'outbound' }]);
    expect(screen.getByTestId('tab-card').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('interaction-tab').dataset.state).toBe('talking');

    // Back in the queue, the next customer opens beside the first call (listed, its draft kept).
    fireEvent.keyDown(window, { code: 'KeyQ', altKey: true });
    fireEvent.click((await screen.findAllByTestId('queue-item'))[0]!);
    await waitFor(() => expect(screen.getAllByTestId('interaction-tab')).toHaveLength(2));
    expect(client.callsTo('card/byCustomer')).toHaveLength(2);
  });

  it('says when the queue is the cached one (offline)', async () => {
    renderDesk(queueClient({ ...OUTBOUND_QUEUE, cachedAt: '2025-06-15T08:00:00Z' }));
    fireEvent.click(await screen.findByTestId('tab-outbound'));
    await waitFor(() => expect(screen.getByTestId('outbound-cached').textContent).toMatch(/^离线:显示 .* 缓存的队列$/));
  });
});
