// The signed generic webhook (POST /cti/webhook) and the walking skeleton's POST /cti/calls, both
// through the connector hub: signatures, the replay window, key rotation, repeats, unknown agents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CtiCallEvent } from '../../../shared/contract/central-api';
import type { CentralApi } from '../../../server/app';
import { signatureProblem, signedWebhookHeaders } from '../../../server/cti/connectors/webhook';
import { collectMessages, openSocket, postCall } from '../support/cti-client';
import { login, startTestApi, TEST_CTI_KEY } from '../support/test-api';
import { connectorCount as countOf, pushedEvents } from './support';

const CURRENT_KEY = 'webhook-key-current-0123456789';
const PREVIOUS_KEY = 'webhook-key-previous-0123456789';

let api: CentralApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0, cti: { webhook: { keys: [CURRENT_KEY, PREVIOUS_KEY] }, amazonConnect: null, genesys: null } });
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => api?.close());

function postSigned(body: string, headers: Record<string, string>) {
  return api.app.inject({ method: 'POST', url: '/cti/webhook', headers: { 'content-type': 'application/json', ...headers }, payload: body });
}
const signedPost = (event: unknown, key = CURRENT_KEY, nowMs = Date.now()) => {
  const body = JSON.stringify(event);
  return postSigned(body, signedWebhookHeaders(key, body, nowMs));
};
const rowsOf = (callId: string) => api.db.query(`SELECT event FROM cti_calls WHERE call_id = $1 ORDER BY id`, [callId]);
const connectorCount = (connector: string, outcome: string) => countOf(api, connector, outcome);

describe('the signed webhook', () => {
  it('rings the agent’s desk for a body signed with either key, and drops the repeats', async () => {
    const desk = await openSocket(baseUrl, { protocolToken: await login(api.app, 'agent03') });
    const pushes = collectMessages(desk);
    try {
      const offered: CtiCallEvent = { callId: 'wh-1', ani: '0086 138 0013 8000', agentId: 'agent03', event: 'offered' };
      const first = await signedPost(offered, CURRENT_KEY);
      expect(first.statusCode, first.body).toBe(202);
      expect(first.json()).toEqual({ accepted: true, outcome: 'published' });
      // The sender still on the previous key during a rotation; then a replay inside the window.
      expect((await signedPost({ ...offered, event: 'answered' }, PREVIOUS_KEY)).json()).toEqual({ accepted: true, outcome: 'published' });
      expect((await signedPost(offered)).json()).toEqual({ accepted: true, outcome: 'out_of_order' });
      expect((await signedPost({ ...offered, event: 'answered' })).json()).toEqual({ accepted: true, outcome: 'duplicate' });

      await expect.poll(() => pushes.length).toBe(2);
      expect(pushedEvents(pushes)).toEqual([
        { callId: 'wh-1', ani: '+8613800138000', agentId: 'agent03', event: 'offered' },
        { callId: 'wh-1', ani: '+8613800138000', agentId: 'agent03', event: 'answered' },
      ]);
      expect(await rowsOf('wh-1')).toEqual([{ event: 'offered' }, { event: 'answered' }]);
    } finally {
      desk.close();
    }
  });

  it('refuses (401) a wrong key, a changed body, an old timestamp and missing headers, publishing nothing', async () => {
    const event: CtiCallEvent = { callId: 'wh-2', ani: '13800138000', agentId: 'agent01', event: 'offered' };
    const body = JSON.stringify(event);
    const tenMinutesAgo = Date.now() - 10 * 60 * 1000;
    const refusals = [
      await signedPost(event, 'not-the-key-0123456789'),
      await postSigned(body.replace('agent01', 'agent02'), signedWebhookHeaders(CURRENT_KEY, body)),
      await signedPost(event, CURRENT_KEY, tenMinutesAgo),
      await postSigned(body, {}),
      await postSigned(body, { ...signedWebhookHeaders(CURRENT_KEY, body), 'x-clm-signature': 'sha256=zz' }),
    ];
    for (const response of refusals) {
      expect(response.statusCode, response.body).toBe(401);
      expect(response.json()).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    }
    expect(refusals[2]!.json().message).toContain('300 s');
    expect(await rowsOf('wh-2')).toEqual([]);
    expect(await connectorCount('webhook', 'unauthorized')).toBeGreaterThanOrEqual(5);
  });

  it('answers an unknown agent with 422 and a malformed signed body with 400, counting both', async () => {
    const unknown = await signedPost({ callId: 'wh-3', ani: '13800138000', agentId: 'agent99', event: 'offered' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toEqual({ error: 'unknown_agent', message: "No enabled user has the id 'agent99'" });

    const malformedBefore = await connectorCount('webhook', 'malformed');
    const malformed = await signedPost({ callId: 'wh-3', ani: '13800138000', agentId: 'agent01', event: 'ringing' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'invalid_body', issues: [{ path: 'event' }] });
    const notJson = 'not json at all';
    expect((await postSigned(notJson, signedWebhookHeaders(CURRENT_KEY, notJson))).statusCode).toBe(400);
    expect(await connectorCount('webhook', 'malformed')).toBe(malformedBefore + 2);
    expect(await connectorCount('webhook', 'unknown_agent')).toBeGreaterThanOrEqual(1);
    expect(await rowsOf('wh-3')).toEqual([]);
  });

  it('refuses everything, naming the setting, while no key is configured', () => {
    const problem = signatureProblem({ keys: [], toleranceSeconds: 300 }, { timestamp: '1', signature: 'sha256=' }, '{}', 0);
    expect(problem).toContain('CLM_CTI_WEBHOOK_KEYS');
  });
});

describe('POST /cti/calls (static key, kept for the existing tools)', () => {
  it('goes through the same hub: an unknown agent is a 422, a repeat a 202 that publishes nothing', async () => {
    const unknown = await postCall(baseUrl, TEST_CTI_KEY, { callId: 'legacy-1', ani: '13800138000', agentId: 'agent99', event: 'offered' });
    expect(unknown.status).toBe(422);
    const event: CtiCallEvent = { callId: 'legacy-2', ani: '13800138000', agentId: 'agent01', event: 'offered' };
    for (let i = 0; i < 2; i++) expect(await (await postCall(baseUrl, TEST_CTI_KEY, event)).json()).toEqual({ callId: 'legacy-2', accepted: true });
    expect(await rowsOf('legacy-2')).toEqual([{ event: 'offered' }]);
  });
});

describe('the integrator kit', () => {
  it('serves Swagger UI at /docs for the same document as /openapi.json, the connector routes in it', async () => {
    const page = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const shown = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(shown).toEqual((await api.app.inject({ method: 'GET', url: '/openapi.json' })).json());
    expect(Object.keys(shown.paths)).toEqual(expect.arrayContaining(['/cti/calls', '/cti/webhook', '/cti/amazon-connect/events']));
  });
});
