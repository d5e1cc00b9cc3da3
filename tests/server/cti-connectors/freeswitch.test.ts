// The FreeSWITCH connector against a fake Event Socket that speaks the real wire protocol, playing a
// call built from FreeSWITCH's documented events (tests/fixtures/cti/freeswitch/): only the agent's leg
// reaches the sink, in order; the socket is dropped and comes back; a wrong password is retried with
// backoff instead of in a loop, and recovers once the password is right. Last, the connector inside
// the central API rings the desk of the agent mapped to the extension.
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../../server/app';
import type { ClientConnector } from '../../../server/cti/connectors/connector';
import { readChannelEvent, startFreeswitchConnector, type FreeswitchConnectorSettings } from '../../../server/cti/connectors/freeswitch';
import { collectMessages, openSocket } from '../support/cti-client';
import { recordingSink } from '../support/recording-sink';
import { fixtureExternalId, loadCtiFixture, replayCtiFixture } from '../../../server/cli/cti-fixtures';
import { startFakeEventSocket, type EventFields, type FakeEventSocket } from '../../../server/cli/fake-event-socket';
import { connectorCount, pushedEvents } from './support';
import { bearer, login, startTestApi } from '../support/test-api';

const FIXTURE = loadCtiFixture(path.resolve(import.meta.dirname, '../../fixtures/cti/freeswitch/inbound-call-to-agent.json'));
if (FIXTURE.vendor !== 'freeswitch') throw new Error('not a FreeSWITCH fixture');
const CALL: EventFields[] = FIXTURE.events;
const AGENT_LEG = '2b4e7f10-93c5-4d21-8a0e-5c7d1e9f3a62';
const PASSWORD = 'ClueCon-test-password';
const FAST_RETRY = { baseMs: 20, capMs: 200 };

function recordingLog() {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (_fields: unknown, message?: string): void => {
      lines.push({ level, message: message ?? '' });
    };
  const log = {
    level: 'info',
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => undefined,
  };
  return { log: { ...log, child: () => log } as unknown as FastifyBaseLogger, lines };
}

const subscribedToCalls = (server: FakeEventSocket) => () =>
  ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE'].every((name) => server.subscribed().has(name));

async function until(condition: () => boolean, what: string): Promise<void> {
  await expect.poll(condition, { timeout: 15_000, message: `waiting for ${what}` }).toBe(true);
}

describe('readChannelEvent', () => {
  const settings = { agentHeader: 'Caller-Destination-Number' };
  const [legA, legB] = CALL as [EventFields, EventFields];

  it("reads the agent's outbound leg: Unique-ID, the caller's number and the agent's extension", () => {
    expect(readChannelEvent('CHANNEL_CREATE', legB, settings.agentHeader)).toEqual({
      event: { callId: AGENT_LEG, stage: 'offered', agent: { externalId: 'freeswitch:1001' }, caller: '13800138000' },
    });
  });

  it("ignores the caller's inbound leg, which no desk answers", () => {
    expect(readChannelEvent('CHANNEL_CREATE', legA, settings.agentHeader)).toEqual({ ignored: true });
  });

  it('takes the agent from the configured header, and none when the header is absent', () => {
    expect(readChannelEvent('CHANNEL_ANSWER', legB, 'variable_dialed_user')).toMatchObject({ event: { agent: { externalId: 'freeswitch:1001' } } });
    expect(readChannelEvent('CHANNEL_ANSWER', legB, 'variable_cc_agent')).toMatchObject({ event: { agent: null } });
  });

  it('refuses an agent leg without a Unique-ID, naming the field only', () => {
    const { ['Unique-ID']: _dropped, ...withoutId } = legB;
    expect(readChannelEvent('CHANNEL_CREATE', withoutId, settings.agentHeader)).toEqual({ malformed: 'Unique-ID: missing' });
  });
});

describe('FreeSWITCH Event Socket connector', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(fake: FakeEventSocket, password = PASSWORD) {
    const recorded = recordingSink();
    const { log, lines } = recordingLog();
    const settings: FreeswitchConnectorSettings = { host: '127.0.0.1', port: fake.port, password, agentHeader: 'Caller-Destination-Number' };
    const connector: ClientConnector = startFreeswitchConnector(settings, { sink: recorded.sink, directory: null as never, log }, FAST_RETRY);
    cleanups.push(() => connector.stop());
    return { ...recorded, lines, connector };
  }

  async function fake(password = PASSWORD) {
    const server = await startFakeEventSocket({ password });
    cleanups.push(() => server.close());
    return server;
  }

  it('authenticates, subscribes to the three channel events, and hands over only the agent leg, in order', async () => {
    const server = await fake();
    const { delivered, other } = await start(server);
    await until(subscribedToCalls(server), 'the channel event subscriptions');
    expect(server.passwordsTried).toEqual([PASSWORD]);

    for (const event of CALL) expect(server.send(event)).toBe(true);
    await until(() => delivered.length === 3 && other.length === 3, 'the call to be handed over');
    expect(delivered).toEqual([
      { callId: AGENT_LEG, stage: 'offered', agent: { externalId: 'freeswitch:1001' }, caller: '13800138000' },
      { callId: AGENT_LEG, stage: 'answered', agent: { externalId: 'freeswitch:1001' }, caller: '13800138000' },
      { callId: AGENT_LEG, stage: 'ended', agent: { externalId: 'freeswitch:1001' }, caller: '13800138000' },
    ]);
    expect(other).toEqual(['ignored', 'ignored', 'ignored']);
  });

  it('reconnects after the socket drops, subscribes again and goes on handing over events', async () => {
    const server = await fake();
    const { delivered, lines } = await start(server);
    await until(subscribedToCalls(server), 'the first connection');
    const [, offered, answered, , ended] = CALL as EventFields[];
    server.send(offered!);
    await until(() => delivered.length === 1, 'the offer');

    server.drop();
    await until(() => server.passwordsTried.length === 2 && subscribedToCalls(server)(), 'the connector to reconnect and subscribe again');
    expect(lines).toContainEqual({ level: 'warn', message: expect.stringContaining('event socket lost') });
    expect(lines).toContainEqual({ level: 'info', message: 'FreeSWITCH event socket connected again' });

    server.send(answered!);
    server.send(ended!);
    await until(() => delivered.length === 3, 'the rest of the call after the reconnect');
    expect(delivered.map((event) => event.stage)).toEqual(['offered', 'answered', 'ended']);
  });

  it('keeps retrying a refused password with backoff and recovers once FreeSWITCH accepts it', async () => {
    const server = await fake('the-real-password');
    const { delivered, lines } = await start(server, PASSWORD);
    await until(() => server.passwordsTried.length >= 2, 'a retry after the refusal');
    expect(lines).toContainEqual({ level: 'error', message: expect.stringContaining('refused the event socket password') });
    expect(server.subscribed().size).toBe(0);

    server.password = PASSWORD;
    await until(subscribedToCalls(server), 'a connection with the right password');
    server.send(CALL[1]!);
    await until(() => delivered.length === 1, 'the offer after recovering');
  });

  it('stops without reconnecting', async () => {
    const server = await fake();
    const { connector } = await start(server);
    await until(subscribedToCalls(server), 'the connection');
    await connector.stop();
    const tried = server.passwordsTried.length;
    server.drop();
    // A stopped connector has no timer left: nothing is pending that could reconnect later.
    await new Promise((resolve) => setTimeout(resolve, FAST_RETRY.capMs * 2));
    expect(server.passwordsTried.length).toBe(tried);
  });
});

describe('FreeSWITCH connector in the central API', () => {
  let server: FakeEventSocket;
  let api: CentralApi;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startFakeEventSocket({ password: PASSWORD });
    api = await startTestApi({
      seedCustomers: 0,
      cti: { webhook: {}, amazonConnect: null, genesys: null, freeswitch: { host: '127.0.0.1', port: server.port, password: PASSWORD } },
    });
    baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const admin = await login(api.app, 'admin01');
    const externalId = fixtureExternalId(FIXTURE);
    const mapped = await api.app.inject({ method: 'PATCH', url: '/users/agent03', headers: bearer(admin), payload: { externalId } });
    expect(mapped.statusCode, mapped.body).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
    await server?.close();
  });

  it("replays the fixture as FreeSWITCH would: the mapped agent's desk gets the expected call, the caller's leg is counted as ignored", async () => {
    const desk = await openSocket(baseUrl, { protocolToken: await login(api.app, 'agent03') });
    const received = collectMessages(desk);
    try {
      await replayCtiFixture(FIXTURE, { apiUrl: baseUrl, eventSocket: server });
      await until(() => received.length === FIXTURE.expected.length, 'the pushes on the desk');
      expect(pushedEvents(received)).toEqual(FIXTURE.expected.map((event) => ({ ...event, agentId: 'agent03' })));
      expect(await connectorCount(api, 'freeswitch', 'published')).toBe(3);
      expect(await connectorCount(api, 'freeswitch', 'ignored')).toBe(3);
    } finally {
      desk.close();
    }
  });
});
