// Cache scopes on the central API: a team's desks get the snapshot and change feed of their scope
// only, a change of scope reaches them as exactly the difference, and a miss is answered by
// GET /cards/by-phone/:phone with the desk's masking and audit.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardByPhoneResponse, ScopedSyncChangesResponse, ScopedSyncSnapshotResponse } from '../../shared/contract/cache-scope';
import { CardViewAuditList } from '../../shared/contract/card-view-audit';
import type { SyncEntity } from '../../shared/contract/entities';
import type { CustomerScore } from '../../shared/contract/entities';
import { maskIdNumber } from '../../shared/domain/masking';
import type { CentralApi } from '../../server/app';
import { eraseCustomer } from '../../server/privacy/erase-customer';
import { upsertCustomers, upsertScores } from '../../server/sync/change-log';
import { clearCacheScope, refreshScopeMembers, setCacheScope } from '../../server/sync/cache-scopes';
import { TEST_NOW } from '../support/test-clock';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';

const REGIONS = ['GZ', 'SZ', 'FS'] as const;

let api: CentralApi;
let agent: string;
/** Customer ids by region (every third customer in each). */
const byRegion = new Map<string, string[]>();

beforeAll(async () => {
  api = await startTestApi();
  await api.db.query(
    `INSERT INTO customer_profiles (customer_id, region)
     SELECT id, (ARRAY['GZ', 'SZ', 'FS'])[1 + mod(row_number() OVER (ORDER BY id), 3)] FROM customers WHERE NOT deleted`,
  );
  for (const region of REGIONS)
    byRegion.set(
      region,
      (await api.db.query<{ customer_id: string }>('SELECT customer_id FROM customer_profiles WHERE region = $1 ORDER BY customer_id', [region])).map(
        (r) => r.customer_id,
      ),
    );
  agent = await login(api.app, 'agent01'); // team T1
});
afterAll(() => api?.close());

/** A desk's synced rows as the change applier keeps them: the version of each entity:id held. */
class DeskModel {
  readonly rows = new Map<string, number>();
  cursor = 0;
  scope: string | undefined;

  customers(): string[] {
    return [...this.rows.keys()]
      .filter((key) => key.startsWith('customer:'))
      .map((key) => key.slice('customer:'.length))
      .sort();
  }

  has(entity: SyncEntity, id: string): boolean {
    return this.rows.has(`${entity}:${id}`);
  }
}

async function changesPage(token: string, after: number, limit: number, scope?: string) {
  const query = `after=${after}&limit=${limit}${scope === undefined ? '' : `&scope=${encodeURIComponent(scope)}`}`;
  const response = await api.app.inject({ method: 'GET', url: `/sync/changes?${query}`, headers: bearer(token) });
  expect(response.statusCode, response.body).toBe(200);
  return ScopedSyncChangesResponse.parse(response.json());
}

/** Pulls the desk up to date as the desk's applier would; returns the changes of this pull. */
async function pull(desk: DeskModel, token = agent, limit = 1000) {
  const seen: ScopedSyncChangesResponse['changes'] = [];
  for (;;) {
    const page = await changesPage(token, desk.cursor, limit, desk.scope);
    desk.scope ??= page.scope;
    expect(page.scope).toBe(desk.scope);
    // A customer entering brings up to three rows at one seq: a page may end two rows late, never split a seq.
    expect(page.changes.length).toBeLessThanOrEqual(limit + 2);
    for (const change of page.changes) {
      expect(change.seq).toBeGreaterThan(desk.cursor);
      const key = `${change.entity}:${change.id}`;
      const held = desk.rows.get(key);
      if (change.op === 'delete') {
        if (held !== undefined && held <= change.version) desk.rows.delete(key);
      } else if (held === undefined || held < change.version) desk.rows.set(key, change.version);
    }
    seen.push(...page.changes);
    desk.cursor = page.nextCursor;
    if (!page.hasMore) return seen;
  }
}

async function snapshotIds(token: string, entity: SyncEntity) {
  const response = await api.app.inject({ method: 'GET', url: `/sync/snapshot?entity=${entity}&limit=20000`, headers: bearer(token) });
  expect(response.statusCode, response.body).toBe(200);
  const page = ScopedSyncSnapshotResponse.parse(response.json());
  return { scope: page.scope, ids: page.rows.map(([id]) => id).sort() };
}

const customerIdsOf = (changes: ScopedSyncChangesResponse['changes'], op: 'upsert' | 'delete') =>
  [...new Set(changes.filter((c) => c.op === op && c.entity === 'customer').map((c) => c.id))].sort();

const setScope = (regions: string[], hotSetCap = 0) => setCacheScope(api.db, { team: 'T1', regions, hotSetCap, by: 'test', now: TEST_NOW });

describe('cache scopes (PGlite)', () => {
  it('serves the whole book, named "book", to a team without a scope', async () => {
    const desk = new DeskModel();
    await pull(desk);
    expect(desk.scope).toBe('book');
    expect(desk.customers().length).toBe(REGIONS.reduce((n, r) => n + byRegion.get(r)!.length, 0));
  });

  it('gives a scoped team the snapshot and feed of its regions only, offers to every desk, and other teams the whole book', async () => {
    const { scope, entered } = await setScope(['GZ']);
    expect(entered).toBe(byRegion.get('GZ')!.length);

    const snapshot = await snapshotIds(agent, 'customer');
    expect(snapshot.scope).toBe(`team:T1:${scope.generation}`);
    expect(snapshot.ids).toEqual(byRegion.get('GZ'));
    const scores = await snapshotIds(agent, 'score');
    expect(scores.ids.every((id) => byRegion.get('GZ')!.includes(id))).toBe(true);
    expect((await snapshotIds(agent, 'offer')).ids.length).toBeGreaterThan(0);

    const desk = new DeskModel();
    await pull(desk, agent, 7);
    expect(desk.scope).toBe(snapshot.scope);
    expect(desk.customers()).toEqual(byRegion.get('GZ'));
    expect([...desk.rows.keys()].some((key) => key.startsWith('offer:'))).toBe(true);

    const otherTeam = new DeskModel();
    await pull(otherTeam, await login(api.app, 'agent04'));
    expect(otherTeam.scope).toBe('book');
    expect(otherTeam.customers().length).toBeGreaterThan(desk.customers().length);
  });

  it('sends a desk exactly the difference when its regions change, both ways, and then only its members’ changes', async () => {
    await setScope(['GZ']);
    const desk = new DeskModel();
    await pull(desk);

    await setScope(['GZ', 'SZ']);
    const widened = await pull(desk, agent, 5);
    expect(customerIdsOf(widened, 'upsert')).toEqual(byRegion.get('SZ'));
    expect(customerIdsOf(widened, 'delete')).toEqual([]);
    for (const id of byRegion.get('SZ')!) expect(desk.has('score', id)).toBe(true);
    expect(desk.customers()).toEqual([...byRegion.get('GZ')!, ...byRegion.get('SZ')!].sort());

    await setScope(['SZ']);
    const narrowed = await pull(desk);
    expect(customerIdsOf(narrowed, 'delete')).toEqual(byRegion.get('GZ'));
    expect(customerIdsOf(narrowed, 'upsert')).toEqual([]);
    expect(desk.customers()).toEqual(byRegion.get('SZ'));
    for (const id of byRegion.get('GZ')!) expect(desk.has('score', id)).toBe(false);

    // What a fresh desk of the same scope would hold.
    expect((await snapshotIds(agent, 'customer')).ids).toEqual(desk.customers());

    // A change outside the scope is not sent; one inside is.
    const [outside, inside] = [byRegion.get('GZ')![0]!, byRegion.get('SZ')![0]!];
    const docs = await api.db.query<{ data: Parameters<typeof upsertCustomers>[1][number] }>('SELECT data FROM customers WHERE id = ANY($1) ORDER BY id', [
      [outside, inside],
    ]);
    await api.db.transaction((tx) =>
      upsertCustomers(
        tx,
        docs.map((d) => ({ ...d.data, name: `${d.data.name}改` })),
      ),
    );
    const later = await pull(desk);
    expect(customerIdsOf(later, 'upsert')).toEqual([inside]);
  });

  it('adds the hot set the server ranks, up to its cap, and drops a customer who leaves it', async () => {
    // The outsider made hot below is the book's only warned high-value customer, so nobody takes the place it leaves.
    const warnedValuable = await api.db.query<{ data: CustomerScore }>(
      `SELECT data FROM scores WHERE NOT deleted AND warning_level IN ('red', 'orange') AND value_tier IN ('platinum', 'gold')`,
    );
    await api.db.transaction((tx) =>
      upsertScores(
        tx,
        warnedValuable.map(({ data }) => ({ ...data, warningLevel: 'none' as const })),
      ),
    );
    await setScope(['SZ']);
    const desk = new DeskModel();
    await pull(desk);
    const outsider = byRegion.get('FS')![0]!;
    const [stored] = await api.db.query<{ data: CustomerScore }>('SELECT data FROM scores WHERE customer_id = $1', [outsider]);
    const hot = { ...stored!.data, warningLevel: 'red' as const, valueTier: 'platinum' as const, churnProbability: 0.99, clv: 1e9 };
    await api.db.transaction((tx) => upsertScores(tx, [hot]));

    await setScope(['SZ'], 1);
    const entered = await pull(desk);
    expect(customerIdsOf(entered, 'upsert')).toEqual([outsider]);
    expect(desk.has('score', outsider)).toBe(true);
    const [member] = await api.db.query<{ hot: boolean }>(`SELECT hot FROM cache_scope_members WHERE team = 'T1' AND customer_id = $1`, [outsider]);
    expect(member?.hot).toBe(true);

    await api.db.transaction((tx) => upsertScores(tx, [{ ...hot, warningLevel: 'none', valueTier: 'bronze' }]));
    expect(await refreshScopeMembers(api.db, 'T1', TEST_NOW)).toEqual({ entered: 0, left: 1 });
    const left = await pull(desk);
    expect(customerIdsOf(left, 'delete')).toEqual([outsider]);
    expect(desk.customers()).toEqual(byRegion.get('SZ'));
  });

  it('puts the team’s recent callers in the hot set, whether the platform logged the number bare or as +86…', async () => {
    await setScope(['SZ'], 1000);
    const desk = new DeskModel();
    await pull(desk);
    const members = new Set(
      (await api.db.query<{ customer_id: string }>(`SELECT customer_id FROM cache_scope_members WHERE team = 'T1' AND member`)).map((r) => r.customer_id),
    );
    const caller = byRegion.get('FS')!.find((id) => !members.has(id))!;
    const [row] = await api.db.query<{ phone: string }>('SELECT phone FROM customers WHERE id = $1', [caller]);
    const yesterday = new Date(TEST_NOW.getTime() - 86_400_000).toISOString();
    await api.db.query(`INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('call-hot-1', $1, 'agent02', 'offered', $2)`, [
      `+86${row!.phone}`,
      yesterday,
    ]);
    expect(await refreshScopeMembers(api.db, 'T1', TEST_NOW)).toEqual({ entered: 1, left: 0 });
    expect(customerIdsOf(await pull(desk), 'upsert')).toEqual([caller]);
  });

  it('answers a desk that holds another scope with an empty page naming the scope to download', async () => {
    const { scope } = await setScope(['SZ']);
    const page = await changesPage(agent, 0, 10, 'book');
    expect(page).toEqual({ changes: [], nextCursor: 0, hasMore: false, scope: `team:T1:${scope.generation}` });

    // Cleared, the team caches the whole book again under the key `book`; a new scope is a new generation.
    expect(await clearCacheScope(api.db, 'T1')).toBe(true);
    expect((await changesPage(agent, 0, 1)).scope).toBe('book');
    const again = await setScope(['SZ']);
    expect(again.scope.generation).toBeGreaterThan(scope.generation);
  });

  it('tells a desk that names no scope past the start (a cache read before scopes: the whole book) to download its scope', async () => {
    const { scope } = await setScope(['SZ']);
    const key = `team:T1:${scope.generation}`;
    expect(await changesPage(agent, 5, 10)).toEqual({ changes: [], nextCursor: 5, hasMore: false, scope: key });
    // A desk that holds nothing yet gets its scope's feed, named.
    const first = await changesPage(agent, 0, 10);
    expect(first.scope).toBe(key);
    expect(first.changes.length).toBeGreaterThan(0);
  });

  it('refuses a region no customer is in', async () => {
    await expect(setScope(['XX'])).rejects.toThrow(/region XX/);
  });

  it('sends an erased customer’s deletes to every scoped desk, which may hold them as a visitor after a miss', async () => {
    await setScope(['SZ']);
    const desk = new DeskModel();
    await pull(desk);
    const outsider = byRegion.get('GZ')!.at(-1)!; // erased: used by no later test
    await eraseCustomer(api.db, { customerId: outsider, erasedBy: 'dpo', reason: 'test', now: TEST_NOW });

    const erased = (await pull(desk)).filter((change) => change.id === outsider);
    expect(erased.map((change) => [change.entity, change.op])).toEqual(
      expect.arrayContaining([
        ['customer', 'delete'],
        ['score', 'delete'],
      ]),
    );
    expect(erased.every((change) => change.op === 'delete')).toBe(true);
  });
});

/** The ID number of the customer row the answer carries for the desk cache. */
function idNumberIn(answer: CardByPhoneResponse): string | undefined {
  const row = answer.rows.find((document) => document.entity === 'customer');
  return row?.entity === 'customer' ? row.data.idNumber : undefined;
}

describe('GET /cards/by-phone/:phone (PGlite)', () => {
  const phoneOf = async (id: string) => (await api.db.query<{ phone: string }>('SELECT phone FROM customers WHERE id = $1', [id]))[0]!.phone;
  const cardUrl = (phone: string, viewId: string) => `/cards/by-phone/${phone}?purpose=call&callId=call-miss-1&viewId=${viewId}&deviceId=desk-1`;

  it('answers the card and its rows with the desk’s masking, and audits the view once per viewId', async () => {
    const id = byRegion.get('FS')![1]!;
    const phone = await phoneOf(id);
    const viewId = uuidv7();
    const first = await api.app.inject({ method: 'GET', url: cardUrl(phone, viewId), headers: bearer(agent) });
    expect(first.statusCode, first.body).toBe(200);
    const answer = CardByPhoneResponse.parse(first.json());
    const [stored] = await api.db.query<{ id_number: string }>('SELECT id_number FROM customers WHERE id = $1', [id]);
    expect(answer.card.customer?.id).toBe(id);
    expect(answer.card.customer?.idNumberMasked).toBe(maskIdNumber(stored!.id_number));
    expect(answer.card.phoneMasked).not.toContain(phone);
    expect(idNumberIn(answer)).toBe(maskIdNumber(stored!.id_number));
    expect(answer.rows.map((row) => row.entity)).toContain('score');
    expect(answer.card.offers.length + answer.card.suppressed.length).toBeGreaterThan(0);

    // The store counter checks ID cards: its rows carry the whole number, its card still the masked one.
    const store = CardByPhoneResponse.parse(
      (await api.app.inject({ method: 'GET', url: cardUrl(phone, uuidv7()), headers: bearer(await login(api.app, 'store01')) })).json(),
    );
    expect(idNumberIn(store)).toBe(stored!.id_number);
    expect(store.card.customer?.idNumberMasked).toBe(maskIdNumber(stored!.id_number));

    await api.app.inject({ method: 'GET', url: cardUrl(phone, viewId), headers: bearer(agent) });
    const audit = await api.app.inject({ method: 'GET', url: `/audit/card-views?customerId=${id}`, headers: bearer(await login(api.app, 'admin01')) });
    const views = CardViewAuditList.parse(audit.json()).views.filter((v) => v.agentId === 'agent01');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ viewId, purpose: 'call', callId: 'call-miss-1', phoneMasked: answer.card.phoneMasked });
  });

  it('refuses a viewId already stored for another customer or agent: every card it answers has its audit row', async () => {
    const [first, other] = [byRegion.get('FS')![2]!, byRegion.get('FS')![3]!];
    const viewId = uuidv7();
    expect((await api.app.inject({ method: 'GET', url: cardUrl(await phoneOf(first), viewId), headers: bearer(agent) })).statusCode).toBe(200);

    const otherCustomer = await api.app.inject({ method: 'GET', url: cardUrl(await phoneOf(other), viewId), headers: bearer(agent) });
    expectApiError(otherCustomer, 409);
    expect(otherCustomer.json()).toMatchObject({ error: 'view_id_taken' });
    const otherAgent = await api.app.inject({ method: 'GET', url: cardUrl(await phoneOf(first), viewId), headers: bearer(await login(api.app, 'agent02')) });
    expectApiError(otherAgent, 409);
    const audited = await api.db.query<{ agent_id: string; customer_id: string }>('SELECT agent_id, customer_id FROM card_view_audit WHERE view_id = $1', [
      viewId,
    ]);
    expect(audited).toEqual([{ agent_id: 'agent01', customer_id: first }]);
  });

  it('answers 404 for a number no customer has, 403 to a role without a desk, 400 for a number that is not a mobile', async () => {
    const unused = '19999999999';
    expect((await api.db.query('SELECT 1 FROM customers WHERE phone = $1', [unused])).length).toBe(0);
    expectApiError(await api.app.inject({ method: 'GET', url: cardUrl(unused, uuidv7()), headers: bearer(agent) }), 404);
    const phone = await phoneOf(byRegion.get('FS')![0]!);
    const admin = await login(api.app, 'admin01');
    expectApiError(await api.app.inject({ method: 'GET', url: cardUrl(phone, uuidv7()), headers: bearer(admin) }), 403);
    expectApiError(await api.app.inject({ method: 'GET', url: cardUrl('12345', uuidv7()), headers: bearer(agent) }), 400);
  });
});
