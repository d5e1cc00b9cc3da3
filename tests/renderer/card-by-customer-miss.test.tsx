// @vitest-environment jsdom
// A customer opened from the outbound queue whom the desk's cache scope does not hold: the card the
// central API answered carries the "from server" badge; offline, the desk says the card is not cached
// and cannot be fetched (not the generic "cannot reach the desk service"), and no call is opened;
// one the central API does not have either is said to be not found on the server.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { DeskClientError } from '../../renderer/transport/desk-client';
import en from '../../renderer/i18n/locales/en.json';
import zhCN from '../../renderer/i18n/locales/zh-CN.json';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, knownCard, OUTBOUND_QUEUE, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

async function openFromQueue(language: 'zh-CN' | 'en', byCustomer: () => CustomerCard) {
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'outbound/queue': () => OUTBOUND_QUEUE,
    'card/byCustomer': byCustomer,
  });
  renderDesk(client, { language });
  fireEvent.click(await screen.findByTestId('tab-outbound'));
  fireEvent.click((await screen.findAllByTestId('queue-item'))[0]!);
  return client;
}

describe('a card opened by customer id that the desk does not cache', () => {
  for (const [language, text, server] of [
    ['zh-CN', zhCN, '中心查询'],
    ['en', en, 'From server'],
  ] as const) {
    it(`shows the central API's card as "${server}" (${language})`, async () => {
      await openFromQueue(language, () => knownCard({ source: 'server' }));
      expect(within(await screen.findByTestId('card')).getByTestId('card-source').textContent).toBe(server);
      expect(screen.getAllByTestId('interaction-tab')).toHaveLength(1);
    });

    it(`says offline that the card is not cached and cannot be fetched, and opens no call (${language})`, async () => {
      const client = await openFromQueue(language, () => {
        throw new DeskClientError('offline_miss', 'this customer is not in this desk’s cache and the central API cannot be reached');
      });
      const error = await screen.findByTestId('lookup-error');
      expect(error.dataset.code).toBe('offline_miss');
      expect(error.textContent).toBe(text.error.offline_miss);
      expect(error.textContent).not.toBe(text.error.offline);
      expect(client.callsTo('card/byCustomer')).toEqual([{ customerId: 'c-2002', callId: null, purpose: 'outbound' }]);
      expect(screen.queryByTestId('interaction-tab')).toBeNull();
    });

    it(`says a customer the central server does not have either is not found there, and opens no call (${language})`, async () => {
      await openFromQueue(language, () => {
        throw new DeskClientError('not_found_on_server', 'this customer is not in this desk’s cache and the central API has no such customer either');
      });
      const error = await screen.findByTestId('lookup-error');
      expect(error.dataset.code).toBe('not_found_on_server');
      expect(error.textContent).toBe(text.error.not_found_on_server);
      expect(screen.queryByTestId('interaction-tab')).toBeNull();
    });
  }
});
