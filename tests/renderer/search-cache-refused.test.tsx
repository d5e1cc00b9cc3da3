// @vitest-environment jsdom
// A cache refused for a reason the agent can act on says why wherever it is hit, not only at sign-in:
// a customer search on a desk whose key does not open the cache shows the specific words, in both languages.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Language } from '../../renderer/i18n/languages';
import { unwrapDeskResult } from '../../renderer/transport/desk-result';
import { FakeDeskClient } from './fake-desk-client';
import { STORE_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

async function searchRefusedWithWrongKey(language: Language): Promise<HTMLElement> {
  renderDesk(
    new FakeDeskClient({
      'session/current': () => STORE_SESSION,
      'sync/status': () => SYNC_ONLINE,
      // The host's answer body, parsed as both transports parse it.
      'customer/search': () =>
        unwrapDeskResult('customer/search', {
          ok: false,
          error: { code: 'cache_unavailable', message: 'local cache /data/desk-cache.sqlite is unavailable (wrong_key)', cacheReason: 'wrong_key' },
        }),
    }),
    { language },
  );
  const input = await screen.findByTestId('search-input');
  fireEvent.change(input, { target: { value: '张伟' } });
  fireEvent.submit(input.closest('form')!);
  return screen.findByTestId('search-error');
}

describe('a search refused because the local cache cannot be used', () => {
  it("says in Chinese that this computer's key does not open the cache", async () => {
    const error = await searchRefusedWithWrongKey('zh-CN');
    expect(error.dataset.code).toBe('cache_unavailable');
    expect(error.textContent).toContain('本机的密钥打不开本地缓存');
  });

  it('says the same in English', async () => {
    const error = await searchRefusedWithWrongKey('en');
    expect(error.textContent).toContain("This computer's key does not open the local cache");
    expect(error.textContent).not.toContain('tell your supervisor');
  });
});
