// A host started over desk folders an earlier host left: real desk backends, the real central API
// in-process. The sound cache is open and checked before anyone logs in; the corrupt one is closed
// again and its user's login is refused with cache_unavailable as before, the file untouched.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { CACHE_FILE, usersWithCaches } from '../../web-host/desk-directories';
import type { UserDesks } from '../../web-host/user-desks';
import { cacheWithCustomers, corruptTable } from '../db/support/corrupt-cache';
import { startDesksOnTestApi } from './support/desks-on-test-api';

let api: CentralApi;
let desks: UserDesks;
const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-open-ahead-'));
let corruptBytes: Buffer;

function cacheOf(agentId: string): string {
  mkdirSync(path.join(dataDir, 'desks', agentId), { recursive: true });
  const cachePath = path.join(dataDir, 'desks', agentId, CACHE_FILE);
  cacheWithCustomers(cachePath);
  return cachePath;
}

beforeAll(async () => {
  cacheOf('agent01');
  corruptBytes = corruptTable(cacheOf('agent02'), 'customers');
  // A folder without a cache (a first login that never finished) is nobody's desk yet.
  mkdirSync(path.join(dataDir, 'desks', 'agent03'), { recursive: true });
  ({ api, desks } = await startDesksOnTestApi(dataDir, { maxDesks: 3, warn: () => undefined }));
});
afterAll(async () => {
  await desks?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('opens and checks the desks whose caches exist before any login, and refuses the corrupt one at its login, file untouched', async () => {
  expect(usersWithCaches(dataDir).sort()).toEqual(['agent01', 'agent02']);
  await desks.openAhead(usersWithCaches(dataDir));
  // openAhead ends once every check ended: the corrupt desk was closed again, the sound one stays open.
  expect(desks.openDesks()).toEqual(['agent01']);

  expect((await desks.invoke('browser-1', 'session/login', { username: 'agent01', password: DEMO_PASSWORD })).body).toMatchObject({
    ok: true,
    value: { agentId: 'agent01' },
  });
  const refused = await desks.invoke('browser-2', 'session/login', { username: 'agent02', password: DEMO_PASSWORD });
  expect(refused).toMatchObject({ status: 503, body: { ok: false, error: { code: 'cache_unavailable' } } });
  expect(!refused.body.ok && refused.body.error.message).toContain('(corrupt)');
  expect(desks.openDesks()).toEqual(['agent01']);
  expect(readFileSync(path.join(dataDir, 'desks', 'agent02', CACHE_FILE)).equals(corruptBytes)).toBe(true);
});
