// CTI: the telephony platform POSTs call events; the agent's desk receives them on a WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtiPush, type CtiCallEvent } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { TEST_CTI_KEY, expectApiError, login, startTestApi } from './support/test-api';
import { collectMessages, openSocket, postCall, rejectedStatus } from './support/cti-client';

let api: CentralApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => api?.close());

describe('CTI call events', () => {
  it('pushes a call to the sockets of that agent only', async () => {
    const agent01 = await openSocket(baseUrl, { protocolToken: await login(api.app, 'agent01') });
    const agent02 = await openSocket(baseUrl, { queryToken: await login(api.app, 'agent02') });
    const received01 = collectMessages(agent01);
    const received02 = collectMessages(agent02);
    try {
      const event: CtiCallEvent = { callId: 'cti-test-1', ani: '+8613800138000', agentId: 'agent01', event: 'offered' };
      const response = await postCall(baseUrl, TEST_CTI_KEY, event);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ callId: 'cti-test-1', accepted: true });

      await expect.poll(() => received01.length).toBe(1);
      const push = CtiPush.parse(JSON.parse(received01[0]!));
      expect(push.event).toEqual(event);
      expect(Date.parse(push.at)).toBeGreaterThan(Date.now() - 60_000);

      // Give a wrongly routed message time to arrive before concluding none did.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received02).toEqual([]);

      const logged = await api.db.query(`SELECT call_id, ani, agent_id, event FROM cti_calls WHERE call_id = 'cti-test-1'`);
      // Logged in the mainland form customers are keyed by (privacy erasure and export match calls on it).
      expect(logged).toEqual([{ call_id: 'cti-test-1', ani: '13800138000', agent_id: 'agent01', event: 'offered' }]);
    } finally {
      agent01.close();
      agent02.close();
    }
  });

  it('selects the bearer subprotocol so browsers accept the handshake', async () => {
    const token = await login(api.app, 'store01');
    const socket = await openSocket(baseUrl, { protocolToken: token });
    expect(socket.protocol).toBe(`bearer.${token}`);
    socket.close();
  });

  it('401s a wrong or missing X-CTI-Key', async () => {
    const event: CtiCallEvent = { callId: 'cti-test-2', ani: '13800138000', agentId: 'agent01', event: 'offered' };
    for (const key of ['wrong-key', undefined]) {
      const response = await postCall(baseUrl, key, event);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    }
    expectApiError(await api.app.inject({ method: 'POST', url: '/cti/calls', payload: event }), 401);
  });

  it('refuses a WebSocket without a valid token', async () => {
    expect(await rejectedStatus(`${baseUrl.replace('http', 'ws')}/cti/stream`)).toBe(401);
    expect(await rejectedStatus(`${baseUrl.replace('http', 'ws')}/cti/stream?token=forged`)).toBe(401);
  });
});
