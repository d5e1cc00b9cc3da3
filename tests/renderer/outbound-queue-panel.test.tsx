// @vitest-environment jsdom
// What the agent reads off the outbound queue: how many customers and callbacks, which callbacks
// are overdue, a filter by kind, the order in words, and a warning outside contact hours.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutboundBestOffer, type OutboundQueue } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, CARE_OFFER, knownCard, OUTBOUND_QUEUE, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const OVERDUE_QUEUE: OutboundQueue = {
  ...OUTBOUND_QUEUE,
  items: OUTBOUND_QUEUE.items.map((item) => (item.slot === 'callback' ? { ...item, overdue: true } : item)),
};

async function openQueue(queue: OutboundQueue) {
  renderDesk(
    new FakeDeskClient({
      'session/current': () => AGENT_SESSION,
      'sync/status': () => SYNC_ONLINE,
      'outbound/queue': () => queue,
      'card/byCustomer': () => knownCard(),
    }),
  );
  fireEvent.click(await screen.findByTestId('tab-outbound'));
  return screen.findByTestId('outbound-list');
}

describe('outbound queue panel', () => {
  it('counts customers, callbacks and overdue callbacks, flags the overdue one, and says how the list is ordered', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-15T04:00:00Z') }); // 12:00 in China
    const list = await openQueue(OVERDUE_QUEUE);
    expect(screen.getByTestId('outbound-summary').textContent).toBe('3 位客户 · 预约回访 1 个(逾期 1 个)');
    const overdue = within(list)
      .getAllByTestId('queue-item')
      .filter((row) => row.dataset.overdue === 'true');
    expect(overdue.map((row) => row.dataset.customerId)).toEqual(['c-2002']);
    expect(overdue[0]!.textContent).toContain('已逾期');
    expect(screen.getByText(/^排序:预约回访按约定时间在前/)).toBeTruthy();
    expect(screen.queryByTestId('outbound-outside-hours')).toBeNull();
  });

  it('filters by kind, with the count on each choice', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-15T04:00:00Z') });
    await openQueue(OUTBOUND_QUEUE);
    expect(screen.getByTestId('outbound-filter-at_risk').textContent).toBe('高危 2');
    fireEvent.click(screen.getByTestId('outbound-filter-at_risk'));
    expect(screen.getAllByTestId('queue-item').map((row) => row.dataset.customerId)).toEqual(['c-2001', 'c-2003']);
    fireEvent.click(screen.getByTestId('outbound-filter-callback'));
    expect(screen.getAllByTestId('queue-item').map((row) => row.dataset.customerId)).toEqual(['c-2002']);
    fireEvent.click(screen.getByTestId('outbound-filter-all'));
    expect(screen.getAllByTestId('queue-item')).toHaveLength(3);
  });

  it('brings back the open call of a customer picked again, instead of dialling a second one', async () => {
    const client = new FakeDeskClient({
      'session/current': () => AGENT_SESSION,
      'sync/status': () => SYNC_ONLINE,
      'outbound/queue': () => OUTBOUND_QUEUE,
      'card/byCustomer': () => knownCard(),
    });
    renderDesk(client);
    fireEvent.click(await screen.findByTestId('tab-outbound'));
    fireEvent.click((await screen.findAllByTestId('queue-item'))[1]!);
    await screen.findByTestId('card');
    fireEvent.click(screen.getByTestId('tab-outbound'));
    fireEvent.click((await screen.findAllByTestId('queue-item'))[1]!);
    await screen.findByTestId('card');
    expect(screen.getAllByTestId('interaction-tab')).toHaveLength(1);
    expect(client.callsTo('card/byCustomer')).toHaveLength(1);
  });

  it('shows a care action as care with its cost, as the card does, not as an expected value, in both languages', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-15T04:00:00Z') });
    const careFirst = OUTBOUND_QUEUE.items.map((item) => (item.customerId === 'c-2001' ? { ...item, bestOffer: OutboundBestOffer.parse(CARE_OFFER) } : item));
    const list = await openQueue({ ...OUTBOUND_QUEUE, items: careFirst });
    const valueOf = (customerId: string) =>
      within(list)
        .getAllByTestId('queue-item')
        .find((row) => row.dataset.customerId === customerId)!
        .querySelector('[data-testid="queue-offer-value"]')!.textContent;
    // The care action costs the action plus the call: ¥90 + ¥6.
    expect(valueOf('c-2001')).toBe('关怀动作 · 总成本 ¥96.00');
    expect(valueOf('c-2002')).toBe('预期价值 ¥95.50');
    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'en' } });
    expect(valueOf('c-2001')).toBe('Care action · total cost ¥96.00');
    expect(valueOf('c-2002')).toBe('Expected value ¥95.50');
  });

  it('warns outside the contact hours on the operator’s clock (22:30 in China)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-15T14:30:00Z') });
    await openQueue(OUTBOUND_QUEUE);
    expect(screen.getByTestId('outbound-outside-hours').textContent).toBe('现在不在联系时段(08:00–21:00):请勿外呼,时段内再联系');
  });
});
