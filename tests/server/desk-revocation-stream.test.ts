// A revoked desk's CTI streams are closed on every instance the moment the revocation commits (its
// access token would otherwise keep a lost laptop hearing callers' numbers until it expires), while the
// same agent's stream from another desk carries on. Two instances share one database, as behind the
// load balancer.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import { createCentralApi, type CentralApi } from '../../server/app';
import { startAgentSockets } from '../../server/cti/agent-sockets';
import { DESK_REVOKED_CLOSE_CODE } from '../../shared/contract/desk-push';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { collectMessages, openSocket, postCall, rejectedStatus } from './support/cti-client';
import { TEST_CTI_KEY, TEST_TOKEN_SECRET, bearer, login, startTestApi } from './support/test-api';

let api: CentralApi;
let otherInstance: CentralApi;
let urls: [string, string];
let adminToken: string;

const urlOf = (instance: CentralApi) => `http://127.0.0.1:${(instance.app.server.address() as AddressInfo).port}`;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 5 });
  otherInstance = await createCentralApi({ db: { client: api.db, driver: api.driver }, demo: true, tokenSecret: TEST_TOKEN_SECRET, ctiKey: TEST_CTI_KEY });
  for (const instance of [api, otherInstance]) await instance.app.listen({ host: '127.0.0.1', port: 0 });
  urls = [urlOf(api), urlOf(otherInstance)];
  adminToken = await login(api.app, 'admin01');
});
afterAll(async () => {
  await otherInstance?.close();
  await api?.close();
});

async function tokenOn(deskId: string, username = 'agent01'): Promise<string> {
  const response = await api.app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { 'x-clm-desk': deskId },
    payload: { username, password: DEMO_PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
  return LoginWithRefreshResponse.parse(response.json()).token;
}

/** As much of a ws socket as the registry touches: an open socket without the pushes protocol. */
class FakeSocket extends EventEmitter {
  readonly protocol = '';
  readonly OPEN = 1;
  readonly readyState = 1;
  close(code: number) {
    this.emit('close', code);
  }
}

const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe('revoking a desk closes its CTI streams', () => {
  it('on every instance at once, and leaves the same agent’s other desk connected', async () => {
    const lost = `desk-${uuidv7()}`;
    const kept = `desk-${uuidv7()}`;
    const lostToken = await tokenOn(lost);
    const lostOnThis = await openSocket(urls[0], { protocolToken: lostToken });
    const lostOnOther = await openSocket(urls[1], { protocolToken: lostToken });
    const keptOnOther = await openSocket(urls[1], { protocolToken: await tokenOn(kept) });
    const keptMessages = collectMessages(keptOnOther);
    const closes = Promise.all([closed(lostOnThis), closed(lostOnOther)]);

    const revoked = await api.app.inject({ method: 'POST', url: `/desks/${lost}/revoke`, headers: bearer(adminToken), payload: { reason: 'laptop stolen' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await closes).toEqual([DESK_REVOKED_CLOSE_CODE, DESK_REVOKED_CLOSE_CODE]);

    // The other desk still hears its agent's calls; the revoked one may not reconnect.
    expect((await postCall(urls[0], TEST_CTI_KEY, { callId: 'after-revocation', ani: '13800000001', agentId: 'agent01', event: 'offered' })).status).toBe(202);
    await expect.poll(() => keptMessages.length).toBe(1);
    expect(keptOnOther.readyState).toBe(keptOnOther.OPEN);
    keptOnOther.close();
    expect(await rejectedStatus(`${urls[1].replace(/^http/, 'ws')}/cti/stream?token=${encodeURIComponent(lostToken)}`)).toBe(401);
  });

  it('closes a stream registered just after a revocation it did not hear (the token was checked before the commit)', async () => {
    const deskId = `desk-${uuidv7()}`;
    await tokenOn(deskId, 'agent02');
    // Revoked without the announcement, as if it had been heard before this socket was registered.
    await api.db.query("UPDATE devices SET revoked_at = now(), revoked_by = 'admin01', revoke_reason = 'test', unsent_decision = 'hold' WHERE device_id = $1", [
      deskId,
    ]);
    const sockets = await startAgentSockets(api.db, api.app.log);
    try {
      const socket = new FakeSocket();
      const code = new Promise<number>((resolve) => socket.once('close', resolve));
      sockets.attach(socket as unknown as WebSocket, { agentId: 'agent02', deskId, closeAt: new Date(Date.now() + 60_000) });
      expect(await code).toBe(DESK_REVOKED_CLOSE_CODE);
      expect(sockets.connectedDesks()).toBe(0);
    } finally {
      await sockets.stop();
    }
  });
});
