// One REAL crash: the browser-mode desk host runs as its own process, records outcomes through
// its HTTP API while the central API is down, starts uploading them, and is killed with SIGKILL
// after the server committed the batch but before the answer reached it. Restarted on the same
// data dir, it must deliver every outcome, and the server must hold each exactly once.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeskBackend } from '../../desk-backend/desk-backend';
import { loadOrCreateKeyFile } from '../../desk-backend/hosting/cache-key-file';
import { createCentralApi, type CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import type { DeskResult, SyncStatus } from '../../shared/contract/desk-api';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

type ProxyMode = 'pass' | 'down' | 'hold-outcome-answers';

/** The network in front of the central API: passes, refuses, or commits outcome batches and withholds the answer. */
async function startProxy(upstream: string) {
  let mode: ProxyMode = 'pass';
  const withheld: ServerResponse[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (mode === 'down') return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name] as string;
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = await answer.text();
    // The server has committed; the desk will never hear back.
    if (mode === 'hold-outcome-answers' && req.url === '/outcomes/batch') return void withheld.push(res);
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  });
  server.on('upgrade', (_req, socket) => socket.destroy()); // no CTI stream needed here
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setMode: (next: ProxyMode) => void (mode = next),
    withheldCount: () => withheld.length,
    close: () => {
      for (const res of withheld) res.socket?.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `node --import tsx web-host/main.ts`, exactly what `npm run start:web` runs, as a separate process. */
async function startDeskHost(dataDir: string, apiUrl: string) {
  const port = await freePort();
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', 'web-host/main.ts', '--port', String(port), '--data-dir', dataDir],
    { cwd: REPO_ROOT, env: { ...process.env, CLM_API_URL: apiUrl, CLM_DESK_DATA_DIR: dataDir } },
  );
  let output = '';
  child.stdout.on('data', (data) => (output += String(data)));
  child.stderr.on('data', (data) => (output += String(data)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await until(async () => output.includes('CLM Desk (browser mode) on'), `the desk host to start; output so far: ${output}`);
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    exited,
    async invoke<T>(channel: string, input: unknown = {}): Promise<T> {
      const response = await fetch(`${base}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const result = (await response.json()) as DeskResult<T>;
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      return result.value;
    },
  };
}

/** Waits for `condition`; the deadline guards against a hang only (a desk host took over 30 s to start at load 25 on two cores). */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let api: CentralApi;
let proxy: Awaited<ReturnType<typeof startProxy>>;
const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-kill9-'));
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  api = await createCentralApi({ demo: true, seedCustomers: 30, tokenSecret: 'kill-9-secret', ctiKey: 'kill-9-cti' });
  const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
  proxy = await startProxy(address);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await proxy?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const storedCount = async (ids: readonly string[]) =>
  api.db.query<{ outcome_id: string; n: number }>(
    `SELECT outcome_id::text, count(*)::int AS n FROM outcomes WHERE outcome_id::text IN (SELECT jsonb_array_elements_text($1::jsonb)) GROUP BY outcome_id`,
    [JSON.stringify(ids)],
  );

it('delivers every outcome exactly once after a SIGKILL mid-upload', async () => {
  const [customer] = await api.db.query<{ id: string }>(`SELECT id FROM customers ORDER BY id LIMIT 1`);
  const draft = (n: number) => ({
    callId: `kill9-${n}`,
    customerId: customer!.id,
    phone: null,
    offerId: 'OFF-D-RETENTION-DISCOUNT',
    result: 'accepted',
    note: `kill -9 #${n}`,
    channel: 'hotline',
  });

  let desk = await startDeskHost(dataDir, proxy.url);
  children.push(desk.child);
  await desk.invoke('session/login', { username: 'agent01', password: DEMO_PASSWORD });

  // The central API goes away; the agent keeps recording.
  proxy.setMode('down');
  const ids: string[] = [];
  for (let n = 1; n <= 3; n++) ids.push((await desk.invoke<{ outcomeId: string }>('outcome/record', draft(n))).outcomeId);

  // It comes back, but the answers to outcome uploads get lost: the server commits, the desk waits.
  proxy.setMode('hold-outcome-answers');
  await until(async () => proxy.withheldCount() > 0, 'an outcome batch committed on the server');
  expect((await storedCount(ids)).map((r) => r.n)).toEqual([1, 1, 1]);
  for (let n = 4; n <= 5; n++) ids.push((await desk.invoke<{ outcomeId: string }>('outcome/record', draft(n))).outcomeId);
  expect((await desk.invoke<SyncStatus>('sync/status')).outboxPending).toBe(5);

  desk.child.kill('SIGKILL');
  expect(await desk.exited).toBe('SIGKILL');

  // The five outcomes survived the kill in agent01's own desk cache (encrypted with the browser-mode host's key file).
  const cacheKey = loadOrCreateKeyFile(path.join(dataDir, 'desk-caches.key'), () => {});
  const cache = createDeskBackend({ cachePath: path.join(dataDir, 'desks', 'agent01', 'desk-cache.sqlite'), apiUrl: proxy.url, cacheKey });
  const kept = await cache.invoke('sync/status', {});
  await cache.close();
  expect(kept.ok && (kept.value as SyncStatus).outboxPending).toBe(5);

  // Restarted on the same data dir with a healthy network: it resends, the server deduplicates.
  proxy.setMode('pass');
  desk = await startDeskHost(dataDir, proxy.url);
  children.push(desk.child);
  await desk.invoke('session/login', { username: 'agent01', password: DEMO_PASSWORD });
  await until(async () => (await desk.invoke<SyncStatus>('sync/now')).outboxPending === 0, 'the outbox to drain after the restart');

  const stored = await storedCount(ids);
  expect(stored.map((r) => r.outcome_id).sort()).toEqual([...ids].sort());
  expect(stored.every((r) => r.n === 1)).toBe(true);
  const status = await desk.invoke<SyncStatus>('sync/status');
  expect(status).toMatchObject({ outboxPending: 0, outboxDead: 0 });
  desk.child.kill('SIGTERM');
  await desk.exited;
}, 900_000); // a guard against a hang only, as until()'s deadlines are
