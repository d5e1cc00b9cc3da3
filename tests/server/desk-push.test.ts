// The desk stream's pushes beyond calls (shared/contract/desk-push.ts): a welcome naming where the
// logs stand, "changes available" when any writer commits synced rows (migration 0017's trigger),
// and, for a desk that reconnects, the calls it missed while it was away, each exactly as it was pushed.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChangesAvailable, DESK_PUSH_PROTOCOL, DeskPush, StreamWelcome } from '../../shared/contract/desk-push';
import { CtiPush } from '../../shared/contract/central-api';
import { Offer } from '../../shared/contract/entities';
import type { CentralApi } from '../../server/app';
import { upsertOffers } from '../../server/sync/change-log';
import { collectMessages, openSocket, postCall } from './support/cti-client';
import { login, startTestApi, TEST_CTI_KEY } from './support/test-api';
import { until } from '../desk-backend/support/wait';

/** Building the seeded database template is CPU-heavy; on a busy machine it outlasts the default hook timeout. */
const SET_UP_MS = 300_000;

describe('the desk stream’s pushes', () => {
  let api: CentralApi;
  let baseUrl: string;
  const tokens: Record<string, string> = {};
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 10 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    for (const agent of ['agent01', 'agent02']) tokens[agent] = await login(api.app, agent);
  }, SET_UP_MS);
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await api?.close();
  });

  /** A desk stream as the desk opens it; `after`: the newest call id it had before it reconnected. */
  async function deskStream(agent: string, after?: number) {
    const query = after === undefined ? '' : `?after=${after}`;
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/cti/stream${query}`, [DESK_PUSH_PROTOCOL, `bearer.${tokens[agent]}`]);
    const messages = collectMessages(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    sockets.push(socket);
    await until(() => messages.length > 0, 10_000, 'the welcome');
    return { socket, messages, pushes: () => messages.map((m) => DeskPush.parse(JSON.parse(m))) };
  }
  const call = (callId: string, agentId: string, event: 'offered' | 'answered' = 'offered') => ({ callId, ani: '13800000001', agentId, event });

  it('welcomes a desk with the newest call id and change seq; a desk without the protocol gets calls as before', async () => {
    const desk = await deskStream('agent01');
    const welcome = StreamWelcome.parse(JSON.parse(desk.messages[0]!));
    const [head] = await api.db.query<{ last_value: number }>('SELECT last_value FROM sync_change_seq');
    expect(welcome.changeSeq).toBe(head!.last_value);

    const legacy = await openSocket(baseUrl, { protocolToken: tokens.agent01! });
    sockets.push(legacy);
    const legacyMessages = collectMessages(legacy);
    expect((await postCall(baseUrl, TEST_CTI_KEY, call('push-legacy', 'agent01'))).status).toBe(202);
    await until(() => legacyMessages.length === 1 && desk.messages.length === 2, 10_000, 'the call on both streams');
    expect(Object.keys(JSON.parse(legacyMessages[0]!) as object).sort()).toEqual(['at', 'event', 'type']);
    const pushed = CtiPush.parse(JSON.parse(legacyMessages[0]!));
    expect(desk.pushes()[1]).toEqual({ ...pushed, seq: expect.any(Number) as number });
    expect((desk.pushes()[1] as { seq: number }).seq).toBeGreaterThan(welcome.callSeq);
  });

  it('says "changes available" with the newest seq, and nothing else, when any writer commits synced rows', async () => {
    const desk = await deskStream('agent02');
    const [row] = await api.db.query<{ data: unknown }>('SELECT data FROM offers WHERE NOT deleted ORDER BY id LIMIT 1');
    const [written] = await api.db.transaction((tx) => upsertOffers(tx, [Offer.parse(row!.data)]));
    await until(() => desk.pushes().some((push) => push.type === 'changes'), 10_000, 'the hint');
    const hint = JSON.parse(desk.messages.find((m) => ChangesAvailable.safeParse(JSON.parse(m)).success)!) as object;
    expect(hint).toEqual({ type: 'changes', seq: written!.change_seq });
  });

  it('sends a reconnecting desk its calls pushed while it was away, in order and as pushed, then the live ones', async () => {
    const first = await deskStream('agent01');
    const resumeAfter = StreamWelcome.parse(JSON.parse(first.messages[0]!)).callSeq;
    first.socket.terminate();
    // Another desk of the same agent stays connected and sees the live pushes to compare with.
    const witness = await deskStream('agent01');
    for (const event of [call('push-missed-1', 'agent01'), call('push-other', 'agent02'), call('push-missed-1', 'agent01', 'answered')])
      expect((await postCall(baseUrl, TEST_CTI_KEY, event)).status).toBe(202);
    await until(() => witness.messages.length === 3, 10_000, 'the live pushes');

    const back = await deskStream('agent01', resumeAfter);
    await until(() => back.messages.length === 3, 10_000, 'the missed calls');
    expect(back.pushes()[0]!.type).toBe('welcome');
    expect(back.messages.slice(1)).toEqual(witness.messages.slice(1));

    expect((await postCall(baseUrl, TEST_CTI_KEY, call('push-live', 'agent01'))).status).toBe(202);
    await until(() => back.messages.length === 4, 10_000, 'the live call');
    expect(back.pushes().map((push) => (push.type === 'call' ? `${push.event.callId}/${push.event.event}` : push.type))).toEqual([
      'welcome',
      'push-missed-1/offered',
      'push-missed-1/answered',
      'push-live/offered',
    ]);
  });
});
