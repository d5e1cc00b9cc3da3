// deploy/haproxy.cfg checked by HAProxy itself, then run for real in front of two API instances on
// one PostgreSQL database: only the compose addresses are rewritten (api1:4310 → 127.0.0.1:<port>,
// bind :4310 → 127.0.0.1:<port>), every other line is the shipped file. Shows both instances get
// traffic, a desk's WebSocket (/cti/stream) works through the balancer, /metrics stays inside, and
// requests keep succeeding when an instance goes away.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { CtiPush } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { createScratchDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/scratch-postgres';
import { collectMessages, openSocket, postCall } from '../server/support/cti-client';
import { login, startTestApi, TEST_CTI_KEY } from '../server/support/test-api';
import { HAPROXY_CONFIG, haproxyInstalled, NO_HAPROXY, startBalancer, type Balancer } from './support/haproxy';
import { eventually, freePort } from './support/processes';

describe.skipIf(!haproxyInstalled)(haproxyInstalled ? 'deploy/haproxy.cfg' : NO_HAPROXY, () => {
  it('is valid for HAProxy; its only warnings are the compose host names this machine cannot resolve', () => {
    const check = spawnSync('haproxy', ['-c', '-f', HAPROXY_CONFIG], { encoding: 'utf8' });
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
    let balancer: Balancer;
    let baseUrl: string;
    const sockets: WebSocket[] = [];

    beforeAll(async () => {
      scratch = await createScratchDatabase(TEST_DATABASE_URL!);
      for (let index = 0; index < 2; index++) {
        const api = await startTestApi({ databaseUrl: scratch.url, seedCustomers: 20, instanceId: `api${index + 1}` });
        const port = await freePort();
        await api.app.listen({ host: '127.0.0.1', port });
        instances.push(api);
        instanceUrls.push(`http://127.0.0.1:${port}`);
      }
      balancer = await startBalancer(instanceUrls.map((url) => url.slice('http://'.length)));
      baseUrl = balancer.url;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.terminate();
      await balancer?.stop();
      for (const api of instances) await api.close();
      await scratch?.drop();
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
