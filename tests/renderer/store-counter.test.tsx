// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DeskClientError } from '../../renderer/transport/desk-client';
import type { CardOutcome, CustomerCard } from '../../shared/contract/desk-api';
import { OutcomeDraft } from '../../shared/contract/outcomes';
import { FakeDeskClient } from './fake-desk-client';
import { knownCard, SEARCH_MATCHES, STORE_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

function counterClient(cardOverrides: Partial<CustomerCard> = {}) {
  return new FakeDeskClient({
    'session/current': () => STORE_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'customer/search': ({ query }) => {
      if (query === '错误') throw new DeskClientError('cache_unavailable', 'cache locked');
      return { matches: query.startsWith('张') ? SEARCH_MATCHES : [], truncated: false };
    },
    'card/byCustomer': ({ customerId }) => knownCard({ customer: { ...knownCard().customer!, id: customerId }, ...cardOverrides }),
    'outcome/record': (draft) => {
      OutcomeDraft.parse(draft);
      return { outcomeId: '0197712b-4c00-7000-8000-000000000002', outboxPending: 1 };
    },
  });
}

async function search(query: string) {
  const input = await screen.findByTestId('search-input');
  fireEvent.change(input, { target: { value: query } });
  fireEvent.submit(input.closest('form')!);
  return input;
}

describe('store counter', () => {
  it('has no call banner and no outbound queue, only the customer search', async () => {
    renderDesk(counterClient());
    expect(await screen.findByTestId('search-input')).toBeTruthy();
    expect(screen.getByText('接待客户')).toBeTruthy();
    expect(screen.queryByTestId('incoming-call')).toBeNull();
    expect(screen.queryByTestId('tab-outbound')).toBeNull();
  });

  it('finds customers by name, walks the matches with the arrow keys and opens one with Enter', async () => {
    const client = counterClient();
    renderDesk(client);
    const input = await search(' 张伟 ');
    expect(client.callsTo('customer/search')).toEqual([{ query: '张伟' }]);

    const results = await screen.findByTestId('search-results');
    const options = within(results).getAllByTestId('search-match');
    expect(options.map((o) => o.dataset.customerId)).toEqual(['c-1001', 'c-1002', 'c-1003']);
    expect(options[0]!.textContent).toContain('138****8000');
    expect(options[0]!.textContent).toContain('110101********1234');
    expect(options[2]!.textContent).toContain('相似姓名');
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(within(results).getAllByTestId('search-match')[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });

    await screen.findByTestId('card');
    expect(client.callsTo('card/byCustomer')).toEqual([{ customerId: 'c-1002', callId: null, purpose: 'search' }]);
    expect(screen.queryByTestId('search-results')).toBeNull();
    // A counter visit is no call: no wrap-up holds the next customer back.
    expect(screen.queryByTestId('wrap-up')).toBeNull();
  });

  it('lists only the shortcuts a counter desk has: no script steps, outbound queue or call switching', async () => {
    renderDesk(counterClient());
    const hints = await screen.findByTestId('shortcut-hints');
    const listed = [...hints.querySelectorAll<HTMLElement>('[data-keys]')].map((hint) => hint.dataset.keys);
    expect(listed).toEqual(expect.arrayContaining(['Alt+1…4', 'Alt+S', 'Alt+O', 'Alt+C']));
    for (const agentOnly of ['Alt+J / Alt+K', 'Alt+Q', 'Alt+I']) expect(listed).not.toContain(agentOnly);
  });

  it('records the counter outcome on the store channel with the customer and no phone', async () => {
    const client = counterClient();
    renderDesk(client);
    await search('张伟');
    fireEvent.click((await screen.findAllByTestId('search-match'))[0]!);
    await screen.findByTestId('card');
    fireEvent.click(screen.getByTestId('outcome-accepted'));
    fireEvent.click(screen.getByTestId('outcome-save'));
    await waitFor(() => expect(client.callsTo('outcome/record')).toHaveLength(1));
    expect(client.callsTo('outcome/record')[0]).toMatchObject({ channel: 'store', customerId: 'c-1001', phone: null, callId: null, offerId: 'off-ret-1' });
  });

  it('names the offers of past outcomes, also one no longer on the card, and never shows an offer id', async () => {
    const recentOutcomes = [
      {
        outcomeId: 'o-1',
        recordedAt: '2025-06-10T02:00:00Z',
        result: 'declined',
        offerId: 'off-gone',
        offerName: { zh: '老客户回馈', en: 'Loyalty reward' },
        channel: 'outbound',
        note: '',
        syncState: 'synced',
      },
      { outcomeId: 'o-2', recordedAt: '2025-06-11T02:00:00Z', result: 'accepted', offerId: 'off-ret-1', channel: 'store', note: '', syncState: 'pending' },
      {
        outcomeId: 'o-3',
        recordedAt: '2025-06-12T02:00:00Z',
        result: 'callback',
        offerId: 'off-withdrawn',
        offerName: null,
        channel: 'hotline',
        note: '',
        syncState: 'dead',
      },
    ] satisfies CardOutcome[];
    renderDesk(counterClient({ recentOutcomes }));
    await search('张伟');
    fireEvent.click((await screen.findAllByTestId('search-match'))[0]!);
    const recent = await screen.findByTestId('recent-outcomes');
    const items = within(recent)
      .getAllByRole('listitem')
      .map((li) => li.querySelector('.offer')!.textContent);
    expect(items).toEqual(['老客户回馈', '续约送 20GB 流量', '已下线方案']);
    expect(recent.textContent).not.toMatch(/off-|null|undefined/);
    expect(recent.textContent).toContain('外呼');
  });

  it('says so when nothing matches, and shows a failed search as an error', async () => {
    renderDesk(counterClient());
    await search('王五');
    expect((await screen.findByTestId('search-empty')).textContent).toBe('没有匹配的客户');
    await search('错误');
    expect((await screen.findByTestId('search-error')).dataset.code).toBe('cache_unavailable');
  });
});
