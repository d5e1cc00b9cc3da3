// GET /outbound/queue: an agent's due callbacks first, then their share of the at-risk customers;
// every warned, reachable customer on exactly one list of all teams' (here neither team has a cache
// scope, so both cache the whole book; scoped teams: outbound-queue-scopes.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeBatchResponse } from '../../shared/contract/central-api';
import type { Customer } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import type { OutboundCandidate } from '../../shared/contract/outbound-queue';
import { DAY_MS } from '../../shared/domain/operator-time';
import type { CentralApi } from '../../server/app';
import { insertUsers } from '../../server/auth/users';
import { OUTBOUND_RECONTACT_DAYS } from '../../server/outbound/outbound-queue';
import { atRiskIdsOf, outboundQueueOf } from './support/outbound-queue';
import { reachableAtRisk as reachableAtRiskOf } from './support/outbound-reachable';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { upsertCustomers } from '../../server/sync/change-log';
import { bearer, expectApiError, login, outcomeItem, startTestApi } from './support/test-api';
import { resolveContactHours } from '../../server/config';

const TEAM_T1 = ['agent01', 'agent02', 'agent03'];
const TEAM_T2 = ['agent04', 'agent05'];

let api: CentralApi;
const tokens = new Map<string, string>();

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 300 });
  await insertUsers(api.db, [{ username: 'agent99', role: 'agent', displayName: 'no team', team: null, password: DEMO_PASSWORD }]);
  for (const agent of [...TEAM_T1, ...TEAM_T2, 'agent99']) tokens.set(agent, await login(api.app, agent));
});
afterAll(() => api?.close());

const queueOf = (agent: string): Promise<OutboundCandidate[]> => outboundQueueOf(api.app, tokens.get(agent)!);

let clientSeq = 0;
async function record(agent: string, items: Outcome[]) {
  const deviceId = `desk-${agent}`;
  const response = await api.app.inject({
    method: 'POST',
    url: '/outcomes/batch',
    headers: bearer(tokens.get(agent)!),
    payload: { deviceId, items: items.map((i) => ({ ...i, deviceId })) },
  });
  expect(OutcomeBatchResponse.parse(response.json()).results.map((r) => r.status)).toEqual(items.map(() => 'accepted'));
}
const callback = (agent: string, customerId: string, callbackAt: Date, recordedAt = new Date()) => ({
  ...outcomeItem(`desk-${agent}`, ++clientSeq, { customerId, result: 'callback', callbackAt: callbackAt.toISOString() }, agent),
  recordedAt: recordedAt.toISOString(),
});
const contact = (agent: string, customerId: string, recordedAt: Date) => ({
  ...outcomeItem(`desk-${agent}`, ++clientSeq, { customerId, result: 'declined' }, agent),
  recordedAt: recordedAt.toISOString(),
});

const reachableAtRisk = () => reachableAtRiskOf(api.db);

describe('at-risk customers', () => {
  it('are split across both teams so that each is on exactly one list, highest value at risk first', async () => {
    const reachable = await reachableAtRisk();
    expect(reachable.size).toBeGreaterThan(TEAM_T1.length + TEAM_T2.length);
    const lists = await Promise.all([...TEAM_T1, ...TEAM_T2].map(queueOf));
    const all = lists.flatMap(atRiskIdsOf);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(reachable.keys()));
    for (const list of lists) {
      const values = list.map((c) => c.valueAtRisk);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      for (const c of list) expect(c.valueAtRisk).toBeCloseTo(reachable.get(c.customerId)!, 1);
    }
  });

  it('leave out do-not-disturb and recently contacted customers, but not one contacted long ago', async () => {
    const [dnd, contactedNow, contactedLongAgo] = [...(await reachableAtRisk()).keys()];
    const [row] = await api.db.query<{ data: Customer }>('SELECT data FROM customers WHERE id = $1', [dnd]);
    await api.db.transaction((tx) => upsertCustomers(tx, [{ ...row!.data, doNotDisturb: true }]));
    await record('agent02', [contact('agent02', contactedNow!, new Date(Date.now() - 2 * DAY_MS))]);
    await record('agent02', [contact('agent02', contactedLongAgo!, new Date(Date.now() - (OUTBOUND_RECONTACT_DAYS + 10) * DAY_MS))]);

    const listed = (await Promise.all([...TEAM_T1, ...TEAM_T2].map(queueOf))).flatMap(atRiskIdsOf);
    expect(listed).not.toContain(dnd);
    expect(listed).not.toContain(contactedNow);
    expect(listed.filter((id) => id === contactedLongAgo)).toHaveLength(1);
    expect(new Set(listed)).toEqual(new Set((await reachableAtRisk()).keys()));
  });

  it('are not shared with an agent outside any team', async () => {
    expect(await queueOf('agent99')).toEqual([]);
  });

  it('are shared among the active agents only: a disabled agent’s share goes to the others', async () => {
    await api.db.query(`UPDATE users SET disabled_at = now() WHERE id = 'agent03'`);
    try {
      const listed = (await Promise.all(['agent01', 'agent02', ...TEAM_T2].map(queueOf))).flatMap(atRiskIdsOf);
      expect(new Set(listed).size).toBe(listed.length);
      expect(new Set(listed)).toEqual(new Set((await reachableAtRisk()).keys()));
    } finally {
      await api.db.query(`UPDATE users SET disabled_at = NULL WHERE id = 'agent03'`);
    }
  });
});

describe('callbacks', () => {
  it("come first, overdue before due, only the caller's and only while the callback is the latest outcome", async () => {
    // Customers nobody has contacted yet (the tests above contact some at-risk ones).
    const ids = (
      await api.db.query<{ id: string }>(
        `SELECT id FROM customers WHERE status = 'active' AND id NOT IN (SELECT customer_id FROM outcomes WHERE customer_id IS NOT NULL) ORDER BY id LIMIT 4`,
      )
    ).map((r) => r.id);
    const now = Date.now();
    await record('agent01', [
      callback('agent01', ids[0]!, new Date(now + 2 * DAY_MS)),
      callback('agent01', ids[1]!, new Date(now - DAY_MS), new Date(now - 3 * DAY_MS)),
      callback('agent01', ids[2]!, new Date(now + DAY_MS), new Date(now - 2 * DAY_MS)),
    ]);
    await record('agent03', [callback('agent03', ids[3]!, new Date(now + DAY_MS))]);
    // Called back since: the newer outcome replaces the callback.
    await record('agent01', [contact('agent01', ids[2]!, new Date(now - DAY_MS))]);

    const queue = await queueOf('agent01');
    const callbacks = queue.filter((c) => c.slot === 'callback');
    expect(callbacks.map((c) => c.customerId)).toEqual([ids[1], ids[0]]);
    expect(queue.slice(0, 2)).toEqual(callbacks);
    expect(callbacks[0]).toMatchObject({ callbackAt: new Date(now - DAY_MS).toISOString(), lastContactAt: expect.any(String) });
    expect((await queueOf('agent03')).filter((c) => c.slot === 'callback').map((c) => c.customerId)).toEqual([ids[3]]);
    // A customer asked to be called back is not also on anyone's at-risk list (just contacted).
    for (const agent of TEAM_T1) for (const id of ids) expect(atRiskIdsOf(await queueOf(agent))).not.toContain(id);
  });

  it('reach an agent outside any team too', async () => {
    await record('agent99', [callback('agent99', 'CUS0000030', new Date(Date.now() + DAY_MS))]);
    expect((await queueOf('agent99')).map((c) => [c.slot, c.customerId])).toEqual([['callback', 'CUS0000030']]);
  });
});

describe('who may read a queue', () => {
  it('is agents only; an unknown query parameter is a 400', async () => {
    const store = await login(api.app, 'store01');
    expectApiError(await api.app.inject({ method: 'GET', url: '/outbound/queue', headers: bearer(store) }), 403);
    expectApiError(await api.app.inject({ method: 'GET', url: '/outbound/queue?team=T2', headers: bearer(tokens.get('agent01')!) }), 400);
  });
});

describe('contact hours', () => {
  it('go with the login answer, not with every queue: the operator’s CLM_CONTACT_HOURS, else 08:00–21:00; a malformed setting stops the start', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/outbound/queue', headers: bearer(tokens.get('agent01')!) });
    expect(response.json()).not.toHaveProperty('contactHours');
    const loggedIn = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'agent02', password: DEMO_PASSWORD } });
    expect(loggedIn.json().contactHours).toEqual({ from: '08:00', to: '21:00' });
    expect(resolveContactHours(undefined, { CLM_CONTACT_HOURS: '09:00-20:30' })).toEqual({ from: '09:00', to: '20:30' });
    expect(() => resolveContactHours(undefined, { CLM_CONTACT_HOURS: '21:00-08:00' })).toThrow(/^CLM_CONTACT_HOURS: contact hours must read HH:MM-HH:MM/);
  });
});
