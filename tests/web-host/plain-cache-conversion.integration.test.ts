// A host started over the plain cache an earlier desk kept (before the encryption): the cache is
// checked and rekeyed on a worker thread while the host goes on answering. The conversion is held
// part-way on a latch (no timing): meanwhile the host serves its page, answers a browser and signs
// another user in; released, the cache ends encrypted with its unsent outcome and typed draft.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encryptPlainCache, openCache } from '../../db/cache/open-cache';
import { openDeskBackend } from '../../desk-backend/opening-desk-backend';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { CACHE_FILE } from '../../web-host/desk-directories';
import type { UserDesks } from '../../web-host/user-desks';
import { createWebHost } from '../../web-host/web-host';
import { addDeskWork, expectDeskWork } from '../db/support/desk-work';
import { startDesksOnTestApi } from './support/desks-on-test-api';

const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-conversion-'));
const rendererDir = mkdtempSync(path.join(tmpdir(), 'clm-renderer-'));
const cacheKey = randomBytes(32).toString('hex');
const plainCache = path.join(dataDir, 'desks', 'agent02', CACHE_FILE);
/** Cell 1: the worker holds, its check passed and the rekey not begun; cell 0: let it go on. */
const latch = new Int32Array(new SharedArrayBuffer(8));
// Node 20 has Atomics.waitAsync; the TypeScript lib this project compiles against does not declare it yet.
const { waitAsync } = Atomics as unknown as { waitAsync(cells: Int32Array, index: number, value: number): { async: boolean; value: unknown } };
let api: CentralApi;
let desks: UserDesks;
let host: FastifyInstance;
let base: string;
let outcomeId: string;

beforeAll(async () => {
  mkdirSync(path.dirname(plainCache), { recursive: true });
  const plain = openCache(plainCache);
  outcomeId = addDeskWork(plain, '13800000001', '13800000002', 'agent02');
  plain.close();
  ({ api, desks } = await startDesksOnTestApi(dataDir, { maxDesks: 3, warn: () => undefined }, (options) =>
    openDeskBackend({ ...options, cacheKey }, (cachePath, encryption) => encryptPlainCache(cachePath, { ...encryption, rekeyLatch: latch })),
  ));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CLM Desk</title>');
  host = await createWebHost({ desks, rendererDir });
  base = await host.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  // A failed run must not leave the worker waiting.
  Atomics.store(latch, 0, 1);
  Atomics.notify(latch, 0);
  await host?.close();
  await desks?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

async function invoke(operation: string, body: unknown, cookie = '') {
  const response = await fetch(`${base}/api/invoke/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

it('answers while a plain cache is encrypted on a worker thread, and the cache ends encrypted with its outbox and draft', async () => {
  const openedAhead = desks.openAhead(['agent02']);
  const holding = waitAsync(latch, 1, 0);
  if (holding.async) await holding.value;
  expect(Atomics.load(latch, 1)).toBe(1);

  // The conversion is under way: the host answers its page, a browser, and another user's login.
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(await invoke('session/current', {}, cookie)).toEqual({ status: 200, body: { ok: true, value: null } });
  expect(await invoke('session/login', { username: 'agent01', password: DEMO_PASSWORD }, cookie)).toMatchObject({
    status: 200,
    body: { ok: true, value: { agentId: 'agent01' } },
  });
  // Still plain: nothing was written to it yet.
  expect(readFileSync(plainCache).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');

  Atomics.store(latch, 0, 1);
  Atomics.notify(latch, 0);
  await openedAhead;
  expect(desks.openDesks().sort()).toEqual(['agent01', 'agent02']);
  await desks.close();

  expect(readFileSync(plainCache).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
  const encrypted = openCache(plainCache, { key: cacheKey });
  expectDeskWork(encrypted, outcomeId, 'agent02');
  encrypted.close();
});
