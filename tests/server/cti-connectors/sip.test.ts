// POST /cti/sip/events on its own: what a SIP proxy's signed request becomes (the agent by the
// extension's external id, the caller as given, a long Call-ID shortened the same way each time),
// and what is refused before anything reaches the hub; then the SIP fixture replayed into a central
// API. tests/sip/sip-call.test.ts has Kamailio itself send these requests for a real SIP call.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../../server/app';
import { fixtureExternalId, loadCtiFixture, replayCtiFixture } from '../../../server/cli/cti-fixtures';
import { callIdOfSipCall, sipConnectorRoutes, type SipCallEvent, type SipConnectorSettings } from '../../../server/cti/connectors/sip';
import { signedWebhookHeaders } from '../../../server/cti/connectors/webhook';
import { installErrorHandling } from '../../../server/http/error-handling';
import { collectMessages, openSocket } from '../support/cti-client';
import { recordingSink } from '../support/recording-sink';
import { bearer, login, startTestApi } from '../support/test-api';
import { connectorCount, pushedEvents } from './support';

const KEYS = ['current-sip-key-0123456789', 'previous-sip-key-0123456789'];
const NOW = Date.UTC(2026, 11, 7, 9, 0, 0);

describe('POST /cti/sip/events', () => {
  let app: FastifyInstance;
  afterEach(() => app?.close());

  async function start(settings: SipConnectorSettings | null = { keys: KEYS, toleranceSeconds: 300 }) {
    const recorded = recordingSink();
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);
    await app.register(sipConnectorRoutes(settings, recorded.sink, () => NOW));
    return recorded;
  }

  const post = (body: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/cti/sip/events', headers: { 'content-type': 'application/json', ...headers }, payload: body });
  const signed = (event: unknown, key = KEYS[0]!, at = NOW) => {
    const body = JSON.stringify(event);
    return post(body, signedWebhookHeaders(key, body, at));
  };
  const offered: SipCallEvent = { callId: 'a84b4c76e66710@pc33.example.com', event: 'offered', extension: '8002', caller: '+8613800138000' };

  it("hands a signed event to the hub: the agent by the extension's external id, the caller as the proxy read it", async () => {
    const { delivered } = await start();
    const response = await signed(offered);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toEqual({ accepted: true, outcome: 'published' });
    expect(delivered).toEqual([{ callId: offered.callId, stage: 'offered', agent: { externalId: 'sip:8002' }, caller: '+8613800138000' }]);
  });

  it('accepts the previous key during a rotation, and reads an empty or absent caller as withheld', async () => {
    const { delivered } = await start();
    expect((await signed({ ...offered, event: 'ended', caller: '' }, KEYS[1])).statusCode).toBe(202);
    const { caller: _withheld, ...withoutCaller } = offered;
    expect((await signed({ ...withoutCaller, callId: 'another-call@pc33.example.com' })).statusCode).toBe(202);
    expect(delivered).toMatchObject([
      { stage: 'ended', caller: null },
      { stage: 'offered', caller: null },
    ]);
  });

  it('shortens a Call-ID longer than our 64-character call ids, the same way for each event of the call', async () => {
    const { delivered } = await start();
    const longCallId = `${'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'.repeat(3)}@sbc.example.com`;
    await signed({ ...offered, callId: longCallId });
    await signed({ ...offered, callId: longCallId, event: 'answered' });
    expect(delivered.map((event) => event.callId)).toEqual([callIdOfSipCall(longCallId), callIdOfSipCall(longCallId)]);
    expect(callIdOfSipCall(longCallId)).toMatch(/^sip-[0-9a-f]{40}$/);
    expect(callIdOfSipCall(offered.callId)).toBe(offered.callId);
  });

  it('refuses an unsigned, wrongly signed or stale request before reading it', async () => {
    const { delivered, other: refused } = await start();
    const body = JSON.stringify(offered);
    expect((await post(body, {})).statusCode).toBe(401);
    expect((await signed(offered, 'some-other-key-0123456789')).statusCode).toBe(401);
    const stale = await signed(offered, KEYS[0], NOW - 301_000);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().message).toContain('clock');
    expect(delivered).toEqual([]);
    expect(refused).toHaveLength(3);
  });

  it('refuses every request while the connector is off, saying which variable turns it on', async () => {
    const { delivered } = await start(null);
    const response = await signed(offered);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('CLM_SIP_KEYS');
    expect(delivered).toEqual([]);
  });

  it('refuses a malformed event with the field named, and counts it as malformed', async () => {
    const { delivered, other: refused } = await start();
    const response = await signed({ ...offered, event: 'ringing', extra: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_body');
    expect(delivered).toEqual([]);
    expect(refused).toEqual([expect.stringMatching(/^malformed: /)]);
    expect(refused[0]).not.toContain('13800138000');
  });
});

describe('the SIP connector in the central API', () => {
  const SIP_KEY = 'sip-replay-key-0123456789';
  const fixture = loadCtiFixture(path.resolve(import.meta.dirname, '../../fixtures/cti/sip/call-to-agent-extension.json'));
  let api: CentralApi;
  let baseUrl: string;

  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 0, cti: { webhook: {}, amazonConnect: null, genesys: null, sip: { keys: [SIP_KEY] } } });
    baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const admin = await login(api.app, 'admin01');
    const mapped = await api.app.inject({
      method: 'PATCH',
      url: '/users/agent04',
      headers: bearer(admin),
      payload: { externalId: fixtureExternalId(fixture) },
    });
    expect(mapped.statusCode, mapped.body).toBe(200);
  });
  afterAll(() => api?.close());

  it("replays the fixture as Kamailio would post it: the desk of the agent with the extension's external id gets the expected call", async () => {
    const desk = await openSocket(baseUrl, { protocolToken: await login(api.app, 'agent04') });
    const received = collectMessages(desk);
    const answers: number[] = [];
    try {
      await replayCtiFixture(fixture, { apiUrl: baseUrl, sipKey: SIP_KEY, onAnswer: (status) => answers.push(status) });
      expect(answers).toEqual([202, 202, 202]);
      await expect.poll(() => received.length).toBe(fixture.expected.length);
      expect(pushedEvents(received)).toEqual(fixture.expected.map((event) => ({ ...event, agentId: 'agent04' })));
      expect(await connectorCount(api, 'sip', 'published')).toBe(3);
    } finally {
      desk.close();
    }
  });
});
