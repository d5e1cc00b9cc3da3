// @vitest-environment jsdom
// The card says where it came from: the desk's own cache, or the central API on a miss outside the
// desk's cache scope (a small badge beside the customer's status), in both languages.
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, callEvent, knownCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

async function popCard(card: CustomerCard, language: 'zh-CN' | 'en') {
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': () => card,
  });
  renderDesk(client, { language });
  await screen.findByTestId('waiting');
  act(() => client.emit(callEvent('offered')));
  return screen.findByTestId('card');
}

describe('where the card came from', () => {
  for (const [language, cache, server] of [
    ['zh-CN', '本机缓存', '中心查询'],
    ['en', 'From cache', 'From server'],
  ] as const) {
    it(`reads "${cache}" for a card from the desk cache and "${server}" for one the central API answered (${language})`, async () => {
      const fromCache = await popCard(knownCard(), language);
      expect(within(fromCache).getByTestId('card-source').textContent).toBe(cache);
      cleanup();
      const fromServer = await popCard(knownCard({ source: 'server' }), language);
      expect(within(fromServer).getByTestId('card-source').textContent).toBe(server);
    });
  }
});
