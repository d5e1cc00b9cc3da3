// Amazon Connect and Genesys Cloud, each played from the fixtures built from its documentation
// (tests/fixtures/cti/<vendor>/), into one API with both connectors on: the mapped agent's desk
// rings with the caller's number, repeats and late events are dropped, and what cannot be taken is
// refused, counted and survived. Genesys is a fake notification service the connector connects to.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { CentralApi } from '../../../server/app';
import { fixtureExternalId, loadCtiFixture, replayCtiFixture, type CtiFixture } from '../../../server/cli/cti-fixtures';
import { startFakeGenesys, type FakeGenesys } from '../../../server/cli/fake-genesys';
import { CONNECT_KEY_HEADER } from '../../../server/cti/connectors/amazon-connect';
import { genesysCallsTopic } from '../../../server/cti/connectors/genesys-events';
import { collectMessages, openSocket } from '../support/cti-client';
import { login, startTestApi } from '../support/test-api';
import { connectorCount, pushedEvents } from './support';

const FIXTURES = new URL('../../fixtures/cti/', import.meta.url);
const CONNECT_KEY = 'connect-api-key-0123456789';
const INSTANCE = 'arn:aws:connect:ap-northeast-1:111122223333:instance/12345678-1234-1234-1234-123456789012';
const fixturesOf = (vendor: string) =>
  readdirSync(new URL(`${vendor}/`, FIXTURES))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, fixture: loadCtiFixture(new URL(`${vendor}/${name}`, FIXTURES).pathname) }));

let fake: FakeGenesys;
let api: CentralApi;
let baseUrl: string;

beforeAll(async () => {
  fake = await startFakeGenesys({ clientId: 'clm-desk', clientSecret: 'genesys-secret' });
  api = await startTestApi({
    seedCustomers: 0,
    cti: {
      webhook: {},
      amazonConnect: { keys: [CONNECT_KEY], instanceArn: INSTANCE },
      genesys: { clientId: 'clm-desk', clientSecret: 'genesys-secret', apiUrl: fake.url, loginUrl: fake.url },
    },
  });
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await api?.close();
  await fake?.close();
});

async function mapAgent(userId: string, fixture: CtiFixture): Promise<void> {
  await api.db.query('UPDATE users SET external_id = $2 WHERE id = $1', [userId, fixtureExternalId(fixture)]);
}

async function deskOf(userId: string): Promise<{ socket: WebSocket; pushes: string[] }> {
  const socket = await openSocket(baseUrl, { protocolToken: await login(api.app, userId) });
  return { socket, pushes: collectMessages(socket) };
}

const withAgent = (fixture: CtiFixture, agentId: string) => fixture.expected.map((event) => ({ ...event, agentId }));

describe('Amazon Connect (EventBridge API destination)', () => {
  const connectEvent = (detail: Record<string, unknown>) => ({
    source: 'aws.connect',
    'detail-type': 'Amazon Connect Contact Event',
    detail: { contactId: 'c-x', channel: 'VOICE', instanceArn: INSTANCE, eventType: 'CONNECTED_TO_AGENT', ...detail },
  });
  const post = (body: unknown, key: string | null = CONNECT_KEY) =>
    api.app.inject({ method: 'POST', url: '/cti/amazon-connect/events', headers: key === null ? {} : { [CONNECT_KEY_HEADER]: key }, payload: body as object });

  it.each(fixturesOf('amazon-connect'))('rings the mapped agent’s desk for $name', async ({ fixture }) => {
    await mapAgent('agent05', fixture);
    const desk = await deskOf('agent05');
    const answers: number[] = [];
    try {
      await replayCtiFixture(fixture, { apiUrl: baseUrl, connectKey: CONNECT_KEY, onAnswer: (status) => answers.push(status) });
      expect(answers.every((status) => status === 202)).toBe(true);
      await expect.poll(() => desk.pushes.length).toBe(fixture.expected.length);
      expect(pushedEvents(desk.pushes)).toEqual(withAgent(fixture, 'agent05'));
    } finally {
      desk.socket.close();
    }
  });

  it('says what it did with each event type', async () => {
    const fixture = fixturesOf('amazon-connect')[0]?.fixture;
    if (fixture?.vendor !== 'amazon-connect') throw new Error('no Amazon Connect fixture');
    await mapAgent('agent05', fixture);
    const agentInfo = { agentArn: fixture.agentArn };
    const outcomes = [];
    for (const detail of [
      { contactId: 'c-order', eventType: 'INITIATED' },
      { contactId: 'c-order', eventType: 'DISCONNECTED', agentInfo },
      { contactId: 'c-order', eventType: 'CONNECTED_TO_AGENT', agentInfo },
      { contactId: 'c-order', eventType: 'QUEUED' },
      { contactId: 'c-order', eventType: 'DISCONNECTED', agentInfo },
    ])
      outcomes.push((await post(connectEvent(detail))).json().outcome);
    // DISCONNECTED overtook CONNECTED_TO_AGENT (EventBridge keeps no order): the late connection rings nothing.
    expect(outcomes).toEqual(['no_agent', 'published', 'out_of_order', 'ignored', 'duplicate']);
  });

  it('refuses a wrong key, another instance, a malformed event and an unknown agent, and counts them', async () => {
    const before = {
      unauthorized: await connectorCount(api, 'amazon-connect', 'unauthorized'),
      malformed: await connectorCount(api, 'amazon-connect', 'malformed'),
    };
    expect((await post(connectEvent({}), 'wrong-key')).statusCode).toBe(401);
    expect((await post(connectEvent({}), null)).statusCode).toBe(401);
    const otherInstance = await post(connectEvent({ instanceArn: 'arn:aws:connect:us-east-1:999999999999:instance/other' }));
    expect(otherInstance.statusCode).toBe(401);
    expect(otherInstance.json().message).toContain('CLM_CONNECT_INSTANCE_ARN');

    const malformed = await post({ source: 'aws.connect', 'detail-type': 'Amazon Connect Contact Event', detail: { eventType: 'QUEUED' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'invalid_body' });

    const unknown = await post(
      connectEvent({ contactId: 'c-unknown', agentInfo: { agentArn: 'arn:aws:connect:…/agent/nobody' }, attributes: { clmCallerNumber: '+8613900139000' } }),
    );
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toEqual({ error: 'unknown_agent', message: expect.stringContaining("'amazon-connect:arn:aws:connect:…/agent/nobody'") });
    expect(unknown.body).not.toContain('13900139000');

    expect(await connectorCount(api, 'amazon-connect', 'unauthorized')).toBe(before.unauthorized + 3);
    expect(await connectorCount(api, 'amazon-connect', 'malformed')).toBe(before.malformed + 1);
    expect(await connectorCount(api, 'amazon-connect', 'unknown_agent')).toBeGreaterThanOrEqual(1);
  });
});

describe('Genesys Cloud (notification channel client)', () => {
  const genesysFixtures = fixturesOf('genesys');
  const [answered, notAnswered] = genesysFixtures.map((f) => f.fixture);

  /** Cuts the connection and waits for the connector's next channel, subscribed to `topic`. */
  async function reconnected(topic: string): Promise<void> {
    const before = fake.channelsCreated();
    fake.dropConnection();
    await expect.poll(() => fake.channelsCreated(), { timeout: 15_000 }).toBeGreaterThan(before);
    await fake.subscribed(topic);
  }

  it('subscribes to each mapped agent’s calls topic and rings that desk from the fixture', async () => {
    if (answered?.vendor !== 'genesys') throw new Error('no Genesys fixture');
    await mapAgent('agent04', answered);
    // The mapping changed after the channel was opened: the next channel follows it.
    await reconnected(genesysCallsTopic(answered.agentGenesysId));
    const desk = await deskOf('agent04');
    try {
      await replayCtiFixture(answered, { apiUrl: baseUrl, genesys: fake });
      await expect.poll(() => desk.pushes.length).toBe(answered.expected.length);
      expect(pushedEvents(desk.pushes)).toEqual(withAgent(answered, 'agent04'));
      expect(await connectorCount(api, 'genesys', 'duplicate')).toBeGreaterThanOrEqual(2);
    } finally {
      desk.socket.close();
    }
  });

  it('opens a new channel when Genesys announces the old one closes for maintenance', async () => {
    if (answered?.vendor !== 'genesys') throw new Error('no Genesys fixture');
    const before = fake.channelsCreated();
    fake.play([{ topicName: 'v2.system.socket_closing', eventBody: { message: 'the socket is closing for maintenance' } }]);
    await expect.poll(() => fake.channelsCreated(), { timeout: 15_000 }).toBeGreaterThan(before);
    await fake.subscribed(genesysCallsTopic(answered.agentGenesysId));
  });

  it('comes back after the connection drops and survives what it cannot read', async () => {
    if (notAnswered?.vendor !== 'genesys') throw new Error('no second Genesys fixture');
    await mapAgent('agent04', notAnswered);
    const malformedBefore = await connectorCount(api, 'genesys', 'malformed');
    const unknownBefore = await connectorCount(api, 'genesys', 'unknown_agent');
    await reconnected(genesysCallsTopic(notAnswered.agentGenesysId));

    const stranger = JSON.parse(JSON.stringify(notAnswered.messages[0]).replaceAll(notAnswered.agentGenesysId, 'not-mapped-user'));
    fake.play(['not a notification', { topicName: genesysCallsTopic(notAnswered.agentGenesysId), eventBody: { participants: 'none' } }, stranger]);
    await expect.poll(() => connectorCount(api, 'genesys', 'malformed')).toBe(malformedBefore + 2);
    await expect.poll(() => connectorCount(api, 'genesys', 'unknown_agent')).toBe(unknownBefore + 1);

    const desk = await deskOf('agent04');
    try {
      // A new conversation id, so the first test's ended call does not swallow it as a repeat.
      const fresh = JSON.parse(JSON.stringify(notAnswered).replaceAll(notAnswered.expected[0]!.callId, 'b9e4f2d3-0000-4e6a-9c1f-0b2d3e4f5a6b')) as CtiFixture;
      await replayCtiFixture(fresh, { apiUrl: baseUrl, genesys: fake });
      await expect.poll(() => desk.pushes.length).toBe(fresh.expected.length);
      expect(pushedEvents(desk.pushes)).toEqual(withAgent(fresh, 'agent04'));
    } finally {
      desk.socket.close();
    }
  });
});
