// Two browsers, two users, real desk backends on their own caches, the real central API in-process:
// each user's desk keeps its own outbox, and an outcome that could not be sent before its user
// logged out stays in that user's cache and goes up at that user's next login, exactly once.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeskBackend } from '../../desk-backend/desk-backend';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import type { DeskResult, SyncStatus } from '../../shared/contract/desk-api';
import type { UserDesks } from '../../web-host/user-desks';
import { createWebHost } from '../../web-host/web-host';
import { startDesksOnTestApi, type DesksOnTestApi } from './support/desks-on-test-api';

let api: CentralApi;
let desks: UserDesks;
let network: DesksOnTestApi['network'];
let host: FastifyInstance;
let base: string;
const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-web-desks-'));
const rendererDir = mkdtempSync(path.join(tmpdir(), 'clm-renderer-'));

beforeAll(async () => {
  ({ api, desks, network } = await startDesksOnTestApi(dataDir, { maxDesks: 4 }));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>CLM Desk</title>');
  host = await createWebHost({ desks, rendererDir });
  base = await host.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await host?.close();
  await desks?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

async function openBrowser() {
  const cookie = ((await fetch(`${base}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;
  return async <T>(operation: string, body: unknown = {}): Promise<DeskResult<T>> => {
    const response = await fetch(`${base}/api/invoke/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    return (await response.json()) as DeskResult<T>;
  };
}

const value = <T>(result: DeskResult<T>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

const outcome = (callId: string, note: string) => ({
  callId,
  customerId: 'CUS0000001',
  phone: null,
  offerId: 'OFF-D-RETENTION-DISCOUNT',
  result: 'accepted',
  note,
  channel: 'hotline',
});

const storedOutcomes = (outcomeId: string) =>
  api.db.query<{ agent_id: string; n: number }>(`SELECT agent_id, count(*)::int AS n FROM outcomes WHERE outcome_id = $1 GROUP BY agent_id`, [outcomeId]);

it('keeps two users apart on their own caches, and sends an outcome left unsent at logout with that user’s next login', async () => {
  const agent = await openBrowser();
  const supervisor = await openBrowser();
  expect(value(await agent('session/login', { username: 'agent05', password: DEMO_PASSWORD }))).toMatchObject({ agentId: 'agent05', role: 'agent' });
  expect(value(await supervisor('session/login', { username: 'sup01', password: DEMO_PASSWORD }))).toMatchObject({ agentId: 'sup01', role: 'supervisor' });
  expect(existsSync(path.join(dataDir, 'desks', 'agent05', 'desk-cache.sqlite'))).toBe(true);
  expect(existsSync(path.join(dataDir, 'desks', 'sup01', 'desk-cache.sqlite'))).toBe(true);
  expect(value(await agent<{ agentId: string }>('session/current')).agentId).toBe('agent05');
  expect(value(await supervisor<{ agentId: string }>('session/current')).agentId).toBe('sup01');
  // The supervisor's desk answers the supervisor's questions; the agent's refuses them.
  expect((await supervisor('reports/retention', { from: '2026-10-01', to: '2026-10-31' })).ok).toBe(true);
  expect(await agent('reports/retention', { from: '2026-10-01', to: '2026-10-31' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  // The network goes; the agent records an outcome and logs out. It cannot be sent: it stays in agent05's cache.
  network.reachable = false;
  const { outcomeId } = value(await agent<{ outcomeId: string }>('outcome/record', outcome('two-browsers-1', 'typed by agent05 offline')));
  expect(value(await agent('session/logout'))).toEqual({ ok: true });
  expect(desks.openDesks()).toEqual(['sup01']);
  const kept = createDeskBackend({ cachePath: path.join(dataDir, 'desks', 'agent05', 'desk-cache.sqlite'), apiUrl: 'http://127.0.0.1:1' });
  expect(value(await kept.invoke('sync/status', {})) as SyncStatus).toMatchObject({ outboxPending: 1 });
  await kept.close();
  network.reachable = true;
  expect(await storedOutcomes(outcomeId)).toEqual([]);
  // The supervisor's desk never held it, and keeps working.
  expect(value(await supervisor<SyncStatus>('sync/status')).outboxPending).toBe(0);
  expect(value(await supervisor<{ agentId: string }>('session/current')).agentId).toBe('sup01');

  // agent05 logs in again (another browser, even): the desk sends what was kept, once.
  const agentAgain = await openBrowser();
  value(await agentAgain('session/login', { username: 'agent05', password: DEMO_PASSWORD }));
  // The failed tries set the outcome's retry time (backoff): asked again until it has gone up.
  const deadline = Date.now() + 30_000;
  let status = value(await agentAgain<SyncStatus>('sync/now'));
  while (status.outboxPending > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = value(await agentAgain<SyncStatus>('sync/now'));
  }
  expect(status).toMatchObject({ outboxPending: 0, outboxDead: 0 });
  expect(await storedOutcomes(outcomeId)).toEqual([{ agent_id: 'agent05', n: 1 }]);

  value(await agentAgain('session/logout'));
  value(await supervisor('session/logout'));
  expect(desks.openDesks()).toEqual([]);
}, 60_000);
