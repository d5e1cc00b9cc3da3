// A desk that caches its team's scope, against the real central API (PGlite): it downloads its
// scope only, follows a change of scope both ways, and a number outside it is asked of the server
// (card painted with source "server", customer cached for the rest of the operator day, the view
// audited once on the server). Offline, such a miss says so instead of "no such customer".
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCard, SyncStatus } from '../../shared/contract/desk-api';
import { endOfOperatorDay } from '../../db/replica/scope-cache';
import { OFFLINE_MISS_MESSAGE } from '../../desk-backend/operations/open-card';
import type { CentralApi } from '../../server/app';
import { publishCtiEvent } from '../../server/cti/publish';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { setCacheScope } from '../../server/sync/cache-scopes';
import { TEST_NOW } from '../support/test-clock';
import { startTestApi } from '../server/support/test-api';
import { useTempDir } from '../db/support/temp-dir';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { until } from './support/wait';

const temp = useTempDir();
let api: CentralApi;
let apiUrl: string;
const byRegion = new Map<string, string[]>();
const harnesses: BackendHarness[] = [];

beforeAll(async () => {
  api = await startTestApi();
  await api.db.query(
    `INSERT INTO customer_profiles (customer_id, region)
     SELECT id, (ARRAY['GZ', 'SZ', 'FS'])[1 + mod(row_number() OVER (ORDER BY id), 3)] FROM customers WHERE NOT deleted`,
  );
  for (const region of ['GZ', 'SZ', 'FS'])
    byRegion.set(
      region,
      (await api.db.query<{ customer_id: string }>('SELECT customer_id FROM customer_profiles WHERE region = $1 ORDER BY customer_id', [region])).map(
        (r) => r.customer_id,
      ),
    );
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const h of harnesses) await h.backend.close();
  await api?.close();
});

const scopeOf = (team: string, regions: string[]) => setCacheScope(api.db, { team, regions, hotSetCap: 0, by: 'test', now: TEST_NOW });
const phoneOf = async (id: string) => (await api.db.query<{ phone: string }>('SELECT phone FROM customers WHERE id = $1', [id]))[0]!.phone;
const count = (...regions: string[]) => regions.reduce((n, r) => n + byRegion.get(r)!.length, 0);

async function desk(username: string, clock: { now: Date }) {
  const h = startBackend({ cachePath: temp.path(), apiUrl, now: () => clock.now });
  harnesses.push(h);
  await h.call('session/login', { username, password: DEMO_PASSWORD });
  return { h, sync: () => h.call<SyncStatus>('sync/now') };
}

describe('a desk with a cache scope', () => {
  it('downloads its scope, gets exactly the customers entering and leaving it, and starts over from the whole book', async () => {
    const clock = { now: TEST_NOW };
    const t2 = await desk('agent04', clock); // team T2: no scope yet, the whole book
    expect((await t2.sync()).customersCached).toBe(count('GZ', 'SZ', 'FS'));

    await scopeOf('T1', ['GZ']);
    const t1 = await desk('agent01', clock);
    expect((await t1.sync()).customersCached).toBe(count('GZ'));
    await scopeOf('T1', ['GZ', 'SZ']);
    expect((await t1.sync()).customersCached).toBe(count('GZ', 'SZ'));
    await scopeOf('T1', ['SZ']);
    const narrowed = await t1.sync();
    expect(narrowed.customersCached).toBe(count('SZ'));
    expect(narrowed.lastError).toBeNull();

    await scopeOf('T2', ['FS']);
    expect((await t2.sync()).customersCached).toBe(count('FS'));
  });

  it('asks the central API on a miss, paints its card, caches the customer for the rest of the day, and the server audits the view', async () => {
    await scopeOf('T1', ['SZ']);
    const clock = { now: TEST_NOW };
    const { h, sync } = await desk('agent02', clock);
    await sync();
    const outsider = byRegion.get('GZ')![0]!;
    const phone = await phoneOf(outsider);

    const fromServer = await h.call<CustomerCard>('card/byPhone', { phone, callId: 'call-miss-1', purpose: 'call' });
    expect(fromServer.source).toBe('server');
    expect(fromServer.customer?.id).toBe(outsider);
    const audited = await api.db.query<{ purpose: string; call_id: string }>(
      `SELECT purpose, call_id FROM card_view_audit WHERE agent_id = 'agent02' AND customer_id = $1`,
      [outsider],
    );
    expect(audited).toEqual([{ purpose: 'call', call_id: 'call-miss-1' }]);

    // Cached: the next look-up is a local one, and the desk counts the visitor.
    const fromCache = await h.call<CustomerCard>('card/byPhone', { phone, callId: '', purpose: 'lookup' });
    expect(fromCache.source).toBeUndefined();
    expect(fromCache.customer?.id).toBe(outsider);
    expect((await sync()).customersCached).toBe(count('SZ') + 1);

    // A number no customer has is a prospect, as on a whole-book desk.
    const prospect = await h.call<CustomerCard>('card/byPhone', { phone: '19999999999', callId: '', purpose: 'lookup' });
    expect(prospect.kind).toBe('prospect');

    // The operator's day ends: the visitor leaves with the next sync.
    clock.now = endOfOperatorDay(TEST_NOW);
    expect((await sync()).customersCached).toBe(count('SZ'));
  });

  it('pops a ringing call from a customer outside its scope with the card the central API gives, as a look-up does', async () => {
    await scopeOf('T2', ['SZ']); // agent05's team
    const { h, sync } = await desk('agent05', { now: TEST_NOW });
    await sync();
    const outsider = byRegion.get('FS')![1]!;
    const ani = await phoneOf(outsider);

    // The CTI stream connects on its own time: ring until the desk hears a call.
    const ringing = () => h.events.find((e) => e.type === 'call' && e.event.event === 'offered');
    for (let n = 0; ringing() === undefined; n += 1) {
      await publishCtiEvent(api.db, { callId: `call-ring-${n}`, ani, agentId: 'agent05', event: 'offered' });
      await until(() => ringing() !== undefined, 500).catch(() => undefined);
    }
    const pushed = ringing()!;
    if (pushed.type !== 'call') throw new Error('not a call event');
    expect(pushed.card?.source).toBe('server');
    expect(pushed.card?.customer?.id).toBe(outsider);
    // The open interaction keeps that card, and the server audited the view for that call.
    const { interactions } = await h.call<{ interactions: { interactionId: string; card: CustomerCard | null }[] }>('interaction/list');
    expect(interactions.find((i) => i.interactionId === pushed.event.callId)?.card?.customer?.id).toBe(outsider);
    const audited = await api.db.query<{ call_id: string }>(`SELECT call_id FROM card_view_audit WHERE agent_id = 'agent05' AND customer_id = $1`, [outsider]);
    expect(audited.map((r) => r.call_id)).toContain(pushed.event.callId);
  });

  it('says plainly, offline, that a number outside its cache could not be looked up', async () => {
    await scopeOf('T1', ['SZ']);
    const { h, sync } = await desk('agent03', { now: TEST_NOW });
    await sync();
    const phone = await phoneOf(byRegion.get('FS')![0]!);
    await api.app.close(); // the central API is gone (the last test of this file)

    const missed = await h.backend.invoke('card/byPhone', { phone, callId: 'call-offline', purpose: 'call' });
    expect(missed).toEqual({ ok: false, error: { code: 'offline_miss', message: OFFLINE_MISS_MESSAGE } });
    // A cached customer still opens.
    const cached = await h.call<CustomerCard>('card/byPhone', { phone: await phoneOf(byRegion.get('SZ')![0]!), callId: '', purpose: 'lookup' });
    expect(cached.kind).toBe('known');
  });
});
