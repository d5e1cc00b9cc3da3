// "Changes available" over the desk's WebSocket: with the stream up, a desk that would otherwise poll
// every 50 ms learns of a committed change from the server's hint and pulls once; with the stream
// down it polls as before, and it stops polling again once the stream is back. A call pushed while
// the stream is down reaches the desk when it reconnects (it names the last call id it had).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Offer } from '../../shared/contract/entities';
import type { SyncStatus } from '../../shared/contract/desk-api';
import type { CentralApi } from '../../server/app';
import { upsertOffers } from '../../server/sync/change-log';
import { postCall } from '../server/support/cti-client';
import { startTestApi, TEST_CTI_KEY } from '../server/support/test-api';
import { startStreamGate, type StreamGate } from '../support/stream-gate';
import { useTempDir } from '../db/support/temp-dir';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { until } from './support/wait';

const temp = useTempDir();
/** A desk that polls this often would make dozens of requests while it waits for one hint. */
const POLL_MS = 50;

/** Building the seeded database template is CPU-heavy; on a busy machine it outlasts the default hook timeout. */
const SET_UP_MS = 300_000;

describe('changes-available hints on the desk stream', () => {
  let api: CentralApi;
  let gate: StreamGate;
  let desk: BackendHarness;

  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 20 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    gate = await startStreamGate((api.app.server.address() as AddressInfo).port);
    desk = startBackend({ cachePath: temp.path(), apiUrl: gate.url, pullIntervalMs: POLL_MS });
    await desk.call('session/login', { username: 'agent01', password: DEMO_PASSWORD });
    await desk.call('sync/now');
  }, SET_UP_MS);
  afterAll(async () => {
    await desk?.backend.close();
    await gate?.close();
    await api?.close();
  });

  /** GET /sync/changes requests the API has answered, from its own metrics. */
  async function changeRequests(): Promise<number> {
    const text = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    return text
      .split('\n')
      .filter((line) => line.startsWith('clm_http_request_duration_seconds_count{') && line.includes('route="/sync/changes"'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  }
  const connectedDesks = async () => {
    const text = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(/^clm_connected_desks (\d+)$/m.exec(text)?.[1] ?? 0);
  };
  const cursor = () => desk.events.filter((e): e is { type: 'sync'; status: SyncStatus } => e.type === 'sync').at(-1)?.status.cursor ?? 0;

  /** Re-publishes one offer: a committed write to a synced table, as the catalogue makes. */
  async function writeOffer(): Promise<number> {
    const [row] = await api.db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted ORDER BY id LIMIT 1');
    const [written] = await api.db.transaction((tx) => upsertOffers(tx, [Offer.parse(row!.data)]));
    return written!.change_seq;
  }

  async function waitUntil(probe: () => Promise<boolean>, what: string): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt++) {
      if (await probe()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  it('pulls a committed change on the hint, without polling, while the stream is up', async () => {
    await waitUntil(async () => (await connectedDesks()) === 1, 'the desk stream');
    // The welcome names the change head: the desk catches up to it once, then waits for hints.
    await until(() => cursor() >= 1, 10_000, 'the first download');
    const before = await changeRequests();
    const seq = await writeOffer();
    await until(() => cursor() >= seq, 10_000, 'the hinted change');
    // One pull for the hint (the welcome's may still have been on its way): polling at 50 ms would have made dozens.
    expect((await changeRequests()) - before).toBeLessThanOrEqual(2);
  });

  it('polls while the stream is down, and stops polling once it is back', async () => {
    gate.shut(true);
    await waitUntil(async () => (await connectedDesks()) === 0, 'the stream to drop');
    const down = await changeRequests();
    await waitUntil(async () => (await changeRequests()) >= down + 5, 'the desk to poll');
    const seq = await writeOffer();
    await until(() => cursor() >= seq, 10_000, 'the change found by polling');

    gate.shut(false);
    await waitUntil(async () => (await connectedDesks()) === 1, 'the stream to come back');
    const before = await changeRequests();
    const seqAfter = await writeOffer();
    await until(() => cursor() >= seqAfter, 10_000, 'the hinted change after the reconnect');
    // The hint's pull, the welcome's, and at most one poll that left before the welcome arrived.
    expect((await changeRequests()) - before).toBeLessThanOrEqual(3);
  });

  it('shows a call pushed while its stream was down once the stream is back, and only once', async () => {
    const shown = () => desk.events.filter((e) => e.type === 'call' && e.event.callId === 'gap-call-1').length;
    gate.shut(true);
    await waitUntil(async () => (await connectedDesks()) === 0, 'the stream to drop');
    const apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    expect((await postCall(apiUrl, TEST_CTI_KEY, { callId: 'gap-call-1', ani: '13800000001', agentId: 'agent01', event: 'answered' })).status).toBe(202);
    gate.shut(false);
    await until(() => shown() === 1, 10_000, 'the missed call');
    // A later call arrives live, and the missed one is not shown again.
    expect((await postCall(apiUrl, TEST_CTI_KEY, { callId: 'gap-call-2', ani: '13800000001', agentId: 'agent01', event: 'answered' })).status).toBe(202);
    await until(() => desk.events.some((e) => e.type === 'call' && e.event.callId === 'gap-call-2'), 10_000, 'the live call');
    expect(shown()).toBe(1);
  });
});
