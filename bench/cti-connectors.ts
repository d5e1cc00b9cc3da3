// CTI connectors: how many platform events per second a connector turns into desk pushes, and the
// latency it adds between the platform's event and the push reaching the agent's desk, against the
// generic webhook in the same run. One central API in this process (PGlite, in memory) with all three
// connectors on; each platform sends its own payloads (the fixtures' shapes): the signed webhook and
// Amazon Connect over HTTP, Genesys through a fake notification service the connector is connected to.
// The clock stops when the push arrives on the desk's CTI WebSocket; the card's painting after it is
// the screen-pop benchmark's. Nothing here asserts a time.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { CtiPush, type CtiCallEvent } from '../shared/contract/central-api';
import { createCentralApi, type CentralApi } from '../server/app';
import { startFakeGenesys, type FakeGenesys } from '../server/cli/fake-genesys';
import { CONNECT_KEY_HEADER } from '../server/cti/connectors/amazon-connect';
import { genesysCallsTopic } from '../server/cti/connectors/genesys-events';
import { signedWebhookHeaders } from '../server/cti/connectors/webhook';
import { DEMO_PASSWORD } from '../server/seed/demo-users';
import { measurement, okResult, type BenchResult, type Measurement } from './support/result';
import { summarize, type LatencySummary } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'cti-connectors';
const TITLE = 'CTI connectors (platform event → desk push)';
/** Calls per platform before measuring, so the first platform does not pay for the warm-up. */
const WARM_UP_CALLS = 5;
/** Calls sent one event at a time, each waiting for its push: the latency samples (3 pushes a call). */
const LATENCY_CALLS = 40;
/** Calls sent with CONCURRENT_CALLS in flight for the throughput (3 pushes a call). */
const THROUGHPUT_CALLS = 100;
const CONCURRENT_CALLS = 16;
const PUSH_TIMEOUT_MS = 15_000;

const WEBHOOK_KEY = 'bench-webhook-key-0123456789';
const CONNECT_KEY = 'bench-connect-key-0123456789';
const GENESYS_CLIENT = { clientId: 'bench', clientSecret: 'bench-secret' };
const GENESYS_AGENT = 'bench-genesys-agent';
const CONNECT_AGENT_ARN = 'arn:aws:connect:ap-northeast-1:111122223333:instance/bench/agent/bench-agent';
const CALLER = '+8613800138000';

type Stage = CtiCallEvent['event'];

/** One platform: who its calls ring, and how it sends one step of a call (a step may stand for several stages). */
interface Platform {
  name: string;
  user: string;
  steps: readonly Stage[][];
  send(callId: string, step: readonly Stage[]): Promise<void>;
}

/** The desk side: every push received, by call and stage, with its arrival time. */
function deskReceiver(socket: WebSocket) {
  const arrived = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  socket.on('message', (data) => {
    const at = performance.now();
    const { event } = CtiPush.parse(JSON.parse(String(data)));
    const key = `${event.callId}|${event.event}`;
    arrived.set(key, at);
    waiting.get(key)?.(at);
  });
  return {
    /** When the push of `callId`'s `stage` arrived. */
    arrival(callId: string, stage: Stage): Promise<number> {
      const key = `${callId}|${stage}`;
      const at = arrived.get(key);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push for ${stage} of ${callId}`)), PUSH_TIMEOUT_MS);
        waiting.set(key, (when) => {
          clearTimeout(timer);
          waiting.delete(key);
          resolve(when);
        });
      });
    },
  };
}

async function openDesk(api: CentralApi, baseUrl: string, username: string) {
  const login = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const { token } = login.json() as { token: string };
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/cti/stream`, [`bearer.${token}`]);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, desk: deskReceiver(socket) };
}

async function postJson(url: string, headers: Record<string, string>, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  if (response.status !== 202) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

function platforms(baseUrl: string, genesys: FakeGenesys): Platform[] {
  const connectStep: Record<string, string> = { answered: 'CONNECTED_TO_AGENT', ended: 'DISCONNECTED' };
  const genesysState: Record<Stage, string> = { offered: 'alerting', answered: 'connected', ended: 'disconnected' };
  return [
    {
      name: 'generic webhook (signed)',
      user: 'agent01',
      steps: [['offered'], ['answered'], ['ended']],
      send(callId, [stage]) {
        const body = JSON.stringify({ callId, ani: CALLER, agentId: 'agent01', event: stage });
        return postJson(`${baseUrl}/cti/webhook`, signedWebhookHeaders(WEBHOOK_KEY, body), body);
      },
    },
    {
      name: 'Amazon Connect',
      user: 'agent02',
      steps: [['offered', 'answered'], ['ended']],
      send(callId, step) {
        const detail = {
          eventType: connectStep[step.at(-1)!],
          contactId: callId,
          channel: 'VOICE',
          agentInfo: { agentArn: CONNECT_AGENT_ARN },
          attributes: { clmCallerNumber: CALLER },
        };
        const body = JSON.stringify({ version: '0', source: 'aws.connect', 'detail-type': 'Amazon Connect Contact Event', detail });
        return postJson(`${baseUrl}/cti/amazon-connect/events`, { [CONNECT_KEY_HEADER]: CONNECT_KEY }, body);
      },
    },
    {
      name: 'Genesys Cloud',
      user: 'agent03',
      steps: [['offered'], ['answered'], ['ended']],
      async send(callId, [stage]) {
        const participants = [
          { purpose: 'customer', state: 'connected', ani: `tel:${CALLER}` },
          { purpose: 'agent', state: genesysState[stage!], user: { id: GENESYS_AGENT } },
        ];
        genesys.play([{ topicName: genesysCallsTopic(GENESYS_AGENT), version: '2', eventBody: { id: callId, participants } }]);
      },
    },
  ];
}

interface PlatformFigures {
  latency: LatencySummary;
  pushesPerSecond: number;
}

/** Milliseconds from sending each event of `calls` calls, one at a time, to its last push arriving. */
async function oneEventAtATime(platform: Platform, desk: ReturnType<typeof deskReceiver>, calls: number): Promise<number[]> {
  const samples: number[] = [];
  for (let call = 0; call < calls; call++) {
    const callId = `lat-${randomUUID()}`;
    for (const step of platform.steps) {
      const sent = performance.now();
      await platform.send(callId, step);
      const arrivals = await Promise.all(step.map((stage) => desk.arrival(callId, stage)));
      samples.push(Math.max(...arrivals) - sent);
    }
  }
  return samples;
}

async function measurePlatform(platform: Platform, desk: ReturnType<typeof deskReceiver>): Promise<PlatformFigures> {
  await oneEventAtATime(platform, desk, WARM_UP_CALLS);
  const samples = await oneEventAtATime(platform, desk, LATENCY_CALLS);

  const started = performance.now();
  const callIds = Array.from({ length: THROUGHPUT_CALLS }, () => `tput-${randomUUID()}`);
  let next = 0;
  const worker = async () => {
    while (next < callIds.length) {
      const callId = callIds[next++]!;
      for (const step of platform.steps) await platform.send(callId, step);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_CALLS }, worker));
  const lastArrivals = await Promise.all(callIds.map((callId) => desk.arrival(callId, 'ended')));
  const seconds = (Math.max(...lastArrivals) - started) / 1000;
  return { latency: summarize(samples), pushesPerSecond: (THROUGHPUT_CALLS * 3) / seconds };
}

export async function runCtiConnectorBench(): Promise<BenchResult> {
  const started = performance.now();
  const genesys = await startFakeGenesys(GENESYS_CLIENT);
  const api = await createCentralApi({
    demo: true,
    seedCustomers: 0,
    tokenSecret: 'bench-token-secret',
    ctiKey: 'bench-cti-key',
    cti: {
      webhook: { keys: [WEBHOOK_KEY] },
      amazonConnect: { keys: [CONNECT_KEY] },
      genesys: { ...GENESYS_CLIENT, apiUrl: genesys.url, loginUrl: genesys.url },
    },
  });
  const sockets: WebSocket[] = [];
  try {
    const baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
    await api.db.query(`UPDATE users SET external_id = CASE id WHEN 'agent02' THEN $1 WHEN 'agent03' THEN $2 END WHERE id IN ('agent02', 'agent03')`, [
      `amazon-connect:${CONNECT_AGENT_ARN}`,
      `genesys:${GENESYS_AGENT}`,
    ]);
    // The connector subscribed before the mapping existed: its next channel follows it.
    genesys.dropConnection();
    await genesys.subscribed(genesysCallsTopic(GENESYS_AGENT));

    const figures = new Map<string, PlatformFigures>();
    for (const platform of platforms(baseUrl, genesys)) {
      progress(ID, `${platform.name}: ${LATENCY_CALLS} calls one event at a time, then ${THROUGHPUT_CALLS} calls ${CONCURRENT_CALLS} at a time`);
      const { socket, desk } = await openDesk(api, baseUrl, platform.user);
      sockets.push(socket);
      figures.set(platform.name, await measurePlatform(platform, desk));
    }

    const [webhook, ...connectors] = [...figures];
    const [webhookName, baseline] = webhook!;
    const measurements: Measurement[] = [
      measurement({ metric: `${webhookName}: desk pushes per second`, value: baseline.pushesPerSecond, unit: '/s' }),
      measurement({ metric: `${webhookName}: p95 event → desk push`, value: baseline.latency.p95, unit: 'ms' }),
    ];
    for (const [name, own] of connectors) {
      measurements.push(
        measurement({
          metric: `${name}: desk pushes per second`,
          value: own.pushesPerSecond,
          unit: '/s',
          baseline: { label: `${webhookName}, same run`, value: baseline.pushesPerSecond, unit: '/s' },
        }),
        measurement({
          metric: `${name}: p95 event → desk push`,
          value: own.latency.p95,
          unit: 'ms',
          baseline: { label: `${webhookName}, same run`, value: baseline.latency.p95, unit: 'ms' },
        }),
      );
    }
    return okResult(ID, TITLE, started, {
      measurements,
      notes: [
        `One central API in the benchmark process (PGlite in memory, ${api.driver}), all connectors on; after ${WARM_UP_CALLS} warm-up calls, ${LATENCY_CALLS} calls per platform sent one event at a time (the next after the push arrived), then ${THROUGHPUT_CALLS} calls with ${CONCURRENT_CALLS} in flight (each call's events in order, the next after the platform's request was answered; Genesys's messages written to the channel without waiting). A call is 3 desk pushes; Amazon Connect sends 2 events for them (CONNECTED_TO_AGENT rings and answers).`,
        ...[...figures].map(
          ([name, own]) =>
            `${name}: event → push p50 ${own.latency.p50.toFixed(1)}, p95 ${own.latency.p95.toFixed(1)}, p99 ${own.latency.p99.toFixed(1)} ms (${own.latency.count} samples), added p95 over the webhook ${(own.latency.p95 - baseline.latency.p95).toFixed(1)} ms; ${own.pushesPerSecond.toFixed(0)} pushes/s.`,
        ),
        'The clock runs from the platform sending (HTTP request, or the notification written to the WebSocket) to the push reaching the desk’s CTI WebSocket; the card painted after that is the screen-pop row. The HTTP platforms’ throughput includes their own request round trips from this process; Genesys needs none (one open WebSocket), which is why it can run ahead of the webhook.',
      ],
    });
  } finally {
    for (const socket of sockets) socket.close();
    await api.close();
    await genesys.close();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runCtiConnectorBench());
