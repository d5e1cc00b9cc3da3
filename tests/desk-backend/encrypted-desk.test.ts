// The desk backend on an encrypted cache, as both hosts now open it: it syncs and serves cards
// through the key while the file shows no customer's name or number, a desk of before (plain
// cache) goes on with its cache encrypted, and a wrong key is cache_unavailable at start, a file
// that is no database at all too, with its own reason.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../db/cache/cache-unavailable-error';
import { createDeskBackend } from '../../desk-backend/desk-backend';
import { openDeskBackend } from '../../desk-backend/opening-desk-backend';
import { makeCustomer } from '../db/support/fixtures';
import { useTempDir } from '../db/support/temp-dir';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';

const temp = useTempDir();
const CUSTOMERS = [1, 2].map((n) => makeCustomer(n, { name: `王芳${n}` }));
const newKey = () => randomBytes(32).toString('hex');

function expectNoPersonalData(cachePath: string): void {
  for (const file of [cachePath, `${cachePath}-wal`].filter(existsSync)) {
    const bytes = readFileSync(file);
    for (const customer of CUSTOMERS) {
      expect(bytes.includes(Buffer.from(customer.phone)), `${file} shows ${customer.phone}`).toBe(false);
      expect(bytes.includes(Buffer.from(customer.name)), `${file} shows ${customer.name}`).toBe(false);
    }
  }
}

describe('a desk on an encrypted cache', () => {
  let mock: MockCentralApi;
  let h: BackendHarness | undefined;
  afterEach(async () => {
    await h?.backend.close();
    h = undefined;
    await mock.close();
  });

  async function cardName(harness: BackendHarness, phone: string): Promise<string | undefined> {
    const card = await harness.call<{ customer: { name: string } | null }>('card/byPhone', { phone, callId: '', purpose: 'search' });
    return card.customer?.name;
  }

  it('syncs and serves cards through its key, and the file shows no name or number', async () => {
    mock = await startMockCentralApi();
    for (const customer of CUSTOMERS) mock.put('customer', customer);
    const cachePath = temp.path();
    const cacheKey = newKey();
    h = startBackend({ cachePath, apiUrl: mock.url, cacheKey });
    await h.loginAndSync('li');
    expect(await cardName(h, CUSTOMERS[1]!.phone)).toBe(CUSTOMERS[1]!.name);
    expectNoPersonalData(cachePath);
    await h.backend.close();
    expectNoPersonalData(cachePath);

    expect(() => createDeskBackend({ cachePath, apiUrl: mock.url, cacheKey: newKey() })).toThrow(CacheUnavailableError);
    expect(() => createDeskBackend({ cachePath, apiUrl: mock.url, cacheKey: newKey() })).toThrow('(wrong_key)');
    h = startBackend({ cachePath, apiUrl: mock.url, cacheKey });
    await h.loginAndSync('li');
    expect(await cardName(h, CUSTOMERS[0]!.phone)).toBe(CUSTOMERS[0]!.name);
  });

  it('refuses a file that is no database at all with its own reason, through the login, and leaves it as it was', async () => {
    mock = await startMockCentralApi();
    const cachePath = temp.path();
    const notes = Buffer.from('这是坐席的笔记文件,不是数据库\n'.repeat(300));
    writeFileSync(cachePath, notes);
    const desk = openDeskBackend({ cachePath, apiUrl: mock.url, cacheKey: newKey() });
    await expect(desk.opened).rejects.toThrow('(not_a_database)');
    expect(await desk.invoke('session/login', { username: 'li', password: 'secret' })).toMatchObject({
      ok: false,
      error: { code: 'cache_unavailable', cacheReason: 'not_a_database' },
    });
    await desk.close();
    expect(readFileSync(cachePath).equals(notes)).toBe(true);
  });

  it('encrypts the plain cache of a desk installed before, and goes on from it', async () => {
    mock = await startMockCentralApi();
    for (const customer of CUSTOMERS) mock.put('customer', customer);
    const cachePath = temp.path();
    h = startBackend({ cachePath, apiUrl: mock.url });
    await h.loginAndSync('li');
    await h.backend.close();
    expect(readFileSync(cachePath).includes(Buffer.from(CUSTOMERS[0]!.phone))).toBe(true);

    // As both hosts open it: the plain cache is encrypted on a worker thread, then opened with the key.
    h = startBackend({ cachePath, apiUrl: mock.url, cacheKey: newKey() }, openDeskBackend);
    // The converted cache opens under the key and passes the background check the login waits for.
    await h.call('session/login', { username: 'li', password: 'secret' });
    expect(await cardName(h, CUSTOMERS[0]!.phone)).toBe(CUSTOMERS[0]!.name);
    await h.backend.close();
    expectNoPersonalData(cachePath);
  });
});
