// The outbound queue when teams cache only their scope, against the real central API (PGlite):
// team T1 caches region GZ, team T2 region SZ, and the customers of region FS are in no team's
// scope. Every reachable at-risk customer of the book is on exactly one agent's list (GZ ones in
// T1, SZ ones in T2, FS ones shared across both teams), and a desk shows every candidate of its
// agent's list: those it caches from its cache, the others from the server's listing, their card
// opened from GET /cards/by-customer/:customerId. Listing them audits no view; opening one does.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCard, OutboundQueue, SyncStatus } from '../../shared/contract/desk-api';
import { OutboundQueueResponse } from '../../shared/contract/outbound-queue';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { setCacheScope } from '../../server/sync/cache-scopes';
import { TEST_NOW } from '../support/test-clock';
import { bearer, login, startTestApi } from '../server/support/test-api';
import { reachableAtRisk } from '../server/support/outbound-reachable';
import { useTempDir } from '../db/support/temp-dir';
import { startBackend, type BackendHarness } from './support/backend-harness';

const TEAMS = { T1: ['agent01', 'agent02', 'agent03'], T2: ['agent04', 'agent05'] };
const REGION_OF_TEAM = { T1: 'GZ', T2: 'SZ' };

const temp = useTempDir();
let api: CentralApi;
const regionOf = new Map<string, string>();
let desk: BackendHarness;
let deskAgent: string;

beforeAll(async () => {
  api = await startTestApi();
  await api.db.query(
    `INSERT INTO customer_profiles (customer_id, region)
     SELECT id, (ARRAY['GZ', 'SZ', 'FS'])[1 + mod(row_number() OVER (ORDER BY id), 3)] FROM customers WHERE NOT deleted`,
  );
  for (const { customer_id, region } of await api.db.query<{ customer_id: string; region: string }>('SELECT customer_id, region FROM customer_profiles'))
    regionOf.set(customer_id, region);
  for (const [team, region] of Object.entries(REGION_OF_TEAM))
    await setCacheScope(api.db, { team, regions: [region], hotSetCap: 0, by: 'test', now: TEST_NOW });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  // The desk's agent: one of T1 whose share includes customers outside T1's scope.
  const withOutsiders = [];
  for (const agent of TEAMS.T1) if ((await atRiskListOf(agent)).some((id) => regionOf.get(id) !== 'GZ')) withOutsiders.push(agent);
  expect(withOutsiders).not.toEqual([]);
  deskAgent = withOutsiders[0]!;
  desk = startBackend({ cachePath: temp.path(), apiUrl: `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`, now: () => TEST_NOW });
  await desk.call('session/login', { username: deskAgent, password: DEMO_PASSWORD });
  expect((await desk.call<SyncStatus>('sync/now')).customersCached).toBe([...regionOf.values()].filter((r) => r === 'GZ').length);
});
afterAll(async () => {
  await desk?.backend.close();
  await api?.close();
});

async function atRiskListOf(agent: string): Promise<string[]> {
  const response = await api.app.inject({ method: 'GET', url: '/outbound/queue', headers: bearer(await login(api.app, agent)) });
  expect(response.statusCode, response.body).toBe(200);
  const { candidates } = OutboundQueueResponse.parse(response.json());
  for (const c of candidates) expect(c.listing, c.customerId).toBeDefined();
  return candidates.filter((c) => c.slot === 'at_risk').map((c) => c.customerId);
}

const viewsOf = (customerId: string) => api.db.query('SELECT view_id FROM card_view_audit WHERE customer_id = $1', [customerId]);

describe('the outbound queue of teams with cache scopes', () => {
  it('puts every reachable at-risk customer of the book on exactly one agent’s list: its region’s team, or anyone when no team caches them', async () => {
    const reachable = await reachableAtRisk(api.db);
    const lists = new Map<string, string[]>();
    for (const agent of Object.values(TEAMS).flat()) lists.set(agent, await atRiskListOf(agent));
    const listed = [...lists.values()].flat();
    expect(listed.length).toBeLessThan(200 * lists.size); // no list was cut at OUTBOUND_QUEUE_MAX
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(new Set(reachable.keys()));
    for (const [team, agents] of Object.entries(TEAMS))
      for (const agent of agents)
        for (const id of lists.get(agent)!) expect([REGION_OF_TEAM[team as keyof typeof TEAMS], 'FS'], `${agent} ${id}`).toContain(regionOf.get(id));
    // Customers of no team's scope are shared by both teams, not left to one.
    const fsTeams = Object.entries(TEAMS).filter(([, agents]) => agents.some((a) => lists.get(a)!.some((id) => regionOf.get(id) === 'FS')));
    expect(fsTeams.map(([team]) => team)).toEqual(['T1', 'T2']);
  });

  it('is shown whole on a desk: cached candidates from the cache, the rest from the listing, with no view audited until one is opened', async () => {
    const expected = await atRiskListOf(deskAgent);
    const outside = expected.filter((id) => regionOf.get(id) !== 'GZ');
    expect(outside.length).toBeGreaterThan(0);
    const queue = await desk.call<OutboundQueue>('outbound/queue');
    expect(queue.items.map((i) => i.customerId).sort()).toEqual([...expected].sort());
    const listedOnly = queue.items.find((i) => i.customerId === outside[0])!;
    expect(listedOnly).toMatchObject({ slot: 'at_risk', bestOffer: null, expectedValue: 0, phoneMasked: expect.stringMatching(/^\d{3}\*{4}\d{4}$/) });
    expect(['red', 'orange']).toContain(listedOnly.warningLevel);
    expect(await viewsOf(listedOnly.customerId)).toEqual([]);

    const card = await desk.call<CustomerCard>('card/byCustomer', { customerId: listedOnly.customerId, callId: null, purpose: 'outbound' });
    expect(card).toMatchObject({ source: 'server', phoneMasked: listedOnly.phoneMasked, customer: { id: listedOnly.customerId, name: listedOnly.name } });
    expect(await viewsOf(listedOnly.customerId)).toHaveLength(1);
  });
});
