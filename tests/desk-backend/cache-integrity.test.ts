// A desk opens its cache at once and checks the bulk replica tables in the background; nothing
// reads or writes the cache before that check passed, because no session begins before it.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/contract/desk-api';
import { cacheWithCustomers, corruptTable } from '../db/support/corrupt-cache';
import { useTempDir } from '../db/support/temp-dir';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';

const temp = useTempDir();

describe('cache integrity checked in the background', () => {
  let mock: MockCentralApi;
  let h: BackendHarness | undefined;
  afterEach(async () => {
    await h?.backend.close();
    await mock.close();
  });

  it('refuses the login with cache_unavailable when the background check finds the customers table corrupt, and leaves the file untouched', async () => {
    mock = await startMockCentralApi();
    const path = temp.path();
    cacheWithCustomers(path);
    const bytes = corruptTable(path, 'customers');
    h = startBackend({ cachePath: path, apiUrl: mock.url });

    const login = await h.backend.invoke('session/login', { username: 'li', password: 'secret' });
    expect(login).toMatchObject({ ok: false, error: { code: 'cache_unavailable' } });
    expect(!login.ok && login.error.message).toContain('(corrupt)');
    expect(await h.backend.invoke('session/current', {})).toEqual({ ok: true, value: null });
    const card = await h.backend.invoke('card/byPhone', { phone: '13800000001', callId: '', purpose: 'search' });
    expect(card.ok).toBe(false);
    await h.backend.close();
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('logs in on a sound cache once the check passed, and serves its cards', async () => {
    mock = await startMockCentralApi();
    const path = temp.path();
    cacheWithCustomers(path);
    h = startBackend({ cachePath: path, apiUrl: mock.url });

    const session = await h.call<Session>('session/login', { username: 'li', password: 'secret' });
    expect(session.agentId).toBeTruthy();
    const card = await h.call<{ customer: { id: string } | null }>('card/byPhone', { phone: '13800000001', callId: '', purpose: 'search' });
    expect(card.customer?.id).toBe('c-1');
  });
});
