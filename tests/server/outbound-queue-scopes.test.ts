// GET /outbound/queue when the teams' cache scopes overlap: team T1 caches regions GZ and SZ, team
// T2 region SZ, and region FS is in no team's scope. An at-risk customer of SZ is cached by both
// teams and must still be on one agent's list only (one call, not one per team); one of FS on one
// list of either team; one of GZ on a T1 list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeBatchResponse } from '../../shared/contract/central-api';
import type { OutboundCandidate } from '../../shared/contract/outbound-queue';
import { DAY_MS } from '../../shared/domain/operator-time';
import type { CentralApi } from '../../server/app';
import { clearCacheScope, setCacheScope } from '../../server/sync/cache-scopes';
import { TEST_NOW } from '../support/test-clock';
import { atRiskIdsOf, outboundQueueOf, warnEveryScoreRed } from './support/outbound-queue';
import { reachableAtRisk } from './support/outbound-reachable';
import { bearer, login, outcomeItem, startTestApi } from './support/test-api';

const TEAMS = { T1: ['agent01', 'agent02', 'agent03'], T2: ['agent04', 'agent05'] };
const AGENTS = Object.values(TEAMS).flat();
const SCOPES = { T1: ['GZ', 'SZ'], T2: ['SZ'] };
const teamOf = (agent: string) => (TEAMS.T1.includes(agent) ? 'T1' : 'T2');

let api: CentralApi;
const tokens = new Map<string, string>();
const regionOf = new Map<string, string>();

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 300 });
  // Every customer warned red, so that each region has enough at-risk customers for a split to show.
  await warnEveryScoreRed(api.db);
  await api.db.query(
    `INSERT INTO customer_profiles (customer_id, region)
     SELECT id, (ARRAY['GZ', 'SZ', 'FS'])[1 + mod(row_number() OVER (ORDER BY id), 3)] FROM customers WHERE NOT deleted`,
  );
  for (const { customer_id, region } of await api.db.query<{ customer_id: string; region: string }>('SELECT customer_id, region FROM customer_profiles'))
    regionOf.set(customer_id, region);
  for (const [team, regions] of Object.entries(SCOPES)) await setCacheScope(api.db, { team, regions, hotSetCap: 0, by: 'test', now: TEST_NOW });
  for (const agent of AGENTS) tokens.set(agent, await login(api.app, agent));
});
afterAll(() => api?.close());

const queueOf = (agent: string): Promise<OutboundCandidate[]> => outboundQueueOf(api.app, tokens.get(agent)!);

/** Each agent's at-risk list, checked to be a split of the reachable at-risk customers: each on exactly one list, none left out. */
async function atRiskListsOf(agents: readonly string[]): Promise<Map<string, string[]>> {
  const lists = new Map<string, string[]>();
  for (const agent of agents) lists.set(agent, atRiskIdsOf(await queueOf(agent)));
  const listed = [...lists.values()].flat();
  expect(new Set(listed).size, 'a customer on two lists').toBe(listed.length);
  expect(new Set(listed)).toEqual(new Set((await reachableAtRisk(api.db)).keys()));
  return lists;
}

/** The teams whose agents list customers of `region`. */
const teamsListing = (lists: Map<string, string[]>, region: string) =>
  [...new Set([...lists].filter(([, ids]) => ids.some((id) => regionOf.get(id) === region)).map(([agent]) => teamOf(agent)))].sort();

describe('the outbound share of overlapping cache scopes', () => {
  it('puts each at-risk customer on exactly one agent’s list across both teams; the overlap is split between them', async () => {
    const lists = await atRiskListsOf(AGENTS);
    for (const [agent, ids] of lists) {
      expect(ids.length, agent).toBeGreaterThan(0);
      for (const id of ids) expect([...SCOPES[teamOf(agent)], 'FS'], `${agent} ${id}`).toContain(regionOf.get(id));
    }
    expect(teamsListing(lists, 'SZ')).toEqual(['T1', 'T2']);
    expect(teamsListing(lists, 'FS')).toEqual(['T1', 'T2']);
    expect(teamsListing(lists, 'GZ')).toEqual(['T1']);
  });

  it('gives a disabled agent no share, and a team without an active agent none: its scope then counts as no one’s', async () => {
    await api.db.query(`UPDATE users SET disabled_at = now() WHERE id = 'agent04'`);
    try {
      const lists = await atRiskListsOf(AGENTS.filter((a) => a !== 'agent04'));
      expect(teamsListing(lists, 'SZ')).toEqual(['T1', 'T2']);
      await api.db.query(`UPDATE users SET disabled_at = now() WHERE id = 'agent05'`);
      const t1Only = await atRiskListsOf(TEAMS.T1);
      expect(teamsListing(t1Only, 'SZ')).toEqual(['T1']);
      expect(teamsListing(t1Only, 'FS')).toEqual(['T1']);
    } finally {
      await api.db.query(`UPDATE users SET disabled_at = NULL WHERE id IN ('agent04', 'agent05')`);
    }
  });

  it('treats a team without a scope as caching every customer, each still on one list', async () => {
    await clearCacheScope(api.db, 'T2');
    try {
      const lists = await atRiskListsOf(AGENTS);
      expect(teamsListing(lists, 'GZ')).toEqual(['T1', 'T2']);
      for (const agent of TEAMS.T1) for (const id of lists.get(agent)!) expect(SCOPES.T1, `${agent} ${id}`).toContain(regionOf.get(id));
    } finally {
      await setCacheScope(api.db, { team: 'T2', regions: SCOPES.T2, hotSetCap: 0, by: 'test', now: TEST_NOW });
    }
  });

  it('leaves a callback with the agent who booked it, on no other list', async () => {
    const lists = await atRiskListsOf(AGENTS);
    const customerId = lists.get('agent01')!.find((id) => regionOf.get(id) === 'SZ')!;
    const item = {
      ...outcomeItem('desk-agent04', 1, { customerId, result: 'callback', callbackAt: new Date(Date.now() + DAY_MS).toISOString() }, 'agent04'),
      recordedAt: new Date().toISOString(),
    };
    const response = await api.app.inject({
      method: 'POST',
      url: '/outcomes/batch',
      headers: bearer(tokens.get('agent04')!),
      payload: { deviceId: 'desk-agent04', items: [item] },
    });
    expect(OutcomeBatchResponse.parse(response.json()).results.map((r) => r.status)).toEqual(['accepted']);

    for (const agent of AGENTS) {
      const queue = await queueOf(agent);
      expect(
        queue.filter((c) => c.customerId === customerId).map((c) => c.slot),
        agent,
      ).toEqual(agent === 'agent04' ? ['callback'] : []);
    }
    await atRiskListsOf(AGENTS);
  });
});
