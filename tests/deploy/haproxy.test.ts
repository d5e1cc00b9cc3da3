// deploy/haproxy.cfg checked by HAProxy itself, then run for real in front of two API instances on
// one PostgreSQL database: only the compose addresses are rewritten (api1:4310 → 127.0.0.1:<port>,
// bind :4310 → 127.0.0.1:<port>), every other line is the shipped file. Shows both instances get
// traffic, a desk's WebSocket (/cti/stream) works through the balancer, /metrics stays inside, and
// requests keep succeeding when an instance goes away.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { CtiPush } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { createScratchDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/scratch-postgres';
import { collectMessages, openSocket, postCall } from '../server/support/cti-client';
import { login, startTestApi, TEST_CTI_KEY } from '../server/support/test-api';
import { repoRoot } from './support/dockerfile';
import { eventually, freePort, start, type Started } from './support/processes';

const CONFIG = path.join(repoRoot, 'deploy/haproxy.cfg');
const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;
const NO_HAPROXY = 'haproxy not installed (apt-get install haproxy): HAProxy tests skipped';

/** Replaces `from` with `to`, which must occur exactly once: the rest of the file stays as shipped. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from), from).toHaveLength(2);
  return text.replace(from, to);
}

describe.skipIf(!haproxyInstalled)(haproxyInstalled ? 'deploy/haproxy.cfg' : NO_HAPROXY, () => {
  it('is valid for HAProxy; its only warnings are the compose host names this machine cannot resolve', () => {
    const check = spawnSync('haproxy', ['-c', '-f', CONFIG], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const warnings = check.stderr.split('\n').filter((line) => line.includes('[WARNING]'));
    for (const warning of warnings) expect(warning).toMatch(/could not resolve address 'api[12]'/);
  });
});

describe.skipIf(!haproxyInstalled || !TEST_DATABASE_URL)(
  !haproxyInstalled ? NO_HAPROXY : TEST_DATABASE_URL ? 'the balancer in front of two instances' : POSTGRES_SKIP_REASON,
  () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    const instances: CentralApi[] = [];
    const instanceUrls: string[] = [];
    let balancer: Started;
    let baseUrl: string;
    let workDir: string;
    const sockets: WebSocket[] = [];

    beforeAll(async () => {
      scratch = await createScratchDatabase(TEST_DATABASE_URL!);
      for (let index = 0; index < 2; index++) {
        const api = await startTestApi({ databaseUrl: scratch.url, seedCustomers: 20 });
        const port = await freePort();
        await api.app.listen({ host: '127.0.0.1', port });
        instances.push(api);
        instanceUrls.push(`http://127.0.0.1:${port}`);
      }
      const lbPort = await freePort();
      baseUrl = `http://127.0.0.1:${lbPort}`;
      let config = readFileSync(CONFIG, 'utf8');
      config = replaceOnce(config, 'bind :4310', `bind 127.0.0.1:${lbPort}`);
      config = replaceOnce(config, 'server api1 api1:4310', `server api1 ${instanceUrls[0]!.slice('http://'.length)}`);
      config = replaceOnce(config, 'server api2 api2:4310', `server api2 ${instanceUrls[1]!.slice('http://'.length)}`);
      workDir = mkdtempSync(path.join(tmpdir(), 'clm-haproxy-'));
      const configFile = path.join(workDir, 'haproxy.cfg');
      writeFileSync(configFile, config);
      // -db: in the foreground, as in the haproxy image.
      balancer = await start(['haproxy', '-db', '-f', configFile], { env: { PATH: process.env.PATH ?? '' } });
      // Ready once both servers have passed their /health/ready checks (rise 2).
      const ended = balancer.exited.then((code) => Promise.reject(new Error(`haproxy ended (${code}):\n${balancer.output()}`)));
      await Promise.race([eventually(async () => (await fetch(`${baseUrl}/health/ready`)).ok, 'the balancer to answer'), ended]);
      ended.catch(() => undefined); // its stop in afterAll is expected
    });
    afterAll(async () => {
      for (const socket of sockets) socket.terminate();
      await balancer?.stop();
      for (const api of instances) await api.close();
      await scratch?.drop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    /** How many GET /health/live each instance has answered, from its own /metrics. */
    async function liveRequestsPerInstance(): Promise<number[]> {
      return Promise.all(
        instanceUrls.map(async (url) => {
          const text = await (await fetch(`${url}/metrics`)).text();
          const line = text.split('\n').find((row) => row.startsWith('clm_http_request_duration_seconds_count{') && row.includes('route="/health/live"'));
          return line ? Number(line.split(' ').at(-1)) : 0;
        }),
      );
    }

    it('spreads requests over both instances', async () => {
      for (let request = 0; request < 10; request++) expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
      const counts = await liveRequestsPerInstance();
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(10);
      expect(counts.every((count) => count > 0)).toBe(true);
    });

    it('carries a desk’s WebSocket: a call posted through the balancer pops on it', async () => {
      const token = await login(instances[0]!.app, 'agent01');
      const socket = await openSocket(baseUrl, { protocolToken: token });
      sockets.push(socket);
      const messages = collectMessages(socket);
      const event = { callId: 'lb-call-1', ani: '13800000001', agentId: 'agent01', event: 'offered' as const };
      expect((await postCall(baseUrl, TEST_CTI_KEY, event)).status).toBe(202);
      await eventually(async () => messages.length > 0, 'the call to reach the desk');
      // The CTI hub hands desks the caller's number in E.164.
      expect(CtiPush.parse(JSON.parse(messages[0]!)).event).toEqual({ ...event, ani: '+8613800000001' });
    });

    it('keeps /metrics off the balancer (it stays on each instance for the monitoring network)', async () => {
      expect((await fetch(`${baseUrl}/metrics`)).status).toBe(404);
      expect((await fetch(`${instanceUrls[0]}/metrics`)).status).toBe(200);
    });

    it('keeps answering when an instance goes away', async () => {
      await instances[1]!.close();
      instances.pop();
      for (let request = 0; request < 10; request++) expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    });
  },
);
