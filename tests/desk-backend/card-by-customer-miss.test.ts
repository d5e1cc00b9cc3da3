// A card opened by customer id (a counter search, the outbound queue) on a desk that caches its
// team's scope, against the real central API (PGlite): a cached customer opens from the cache; one
// outside the scope comes from GET /cards/by-customer/:customerId (painted with source "server",
// the view audited on the server, the customer cached for the rest of the operator's day); an id
// the book does not have is not found on the server either (not_found_on_server); offline, such a miss says so (offline_miss).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCard, SyncStatus } from '../../shared/contract/desk-api';
import { endOfOperatorDay } from '../../db/replica/scope-cache';
import { NOT_FOUND_ON_SERVER_MESSAGE, OFFLINE_CUSTOMER_MISS_MESSAGE } from '../../desk-backend/operations/open-card';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { setCacheScope } from '../../server/sync/cache-scopes';
import { TEST_NOW } from '../support/test-clock';
import { startTestApi } from '../server/support/test-api';
import { useTempDir } from '../db/support/temp-dir';
import { startBackend, type BackendHarness } from './support/backend-harness';

const temp = useTempDir();
let api: CentralApi;
const inScope: string[] = [];
const outsideScope: string[] = [];
const clock = { now: TEST_NOW };
let desk: BackendHarness;
const sync = () => desk.call<SyncStatus>('sync/now');

beforeAll(async () => {
  api = await startTestApi();
  // Every other customer in the team's region; the rest are outside its scope.
  await api.db.query(
    `INSERT INTO customer_profiles (customer_id, region)
     SELECT id, CASE WHEN mod(row_number() OVER (ORDER BY id), 2) = 0 THEN 'GZ' ELSE 'SZ' END FROM customers WHERE NOT deleted`,
  );
  const regions = await api.db.query<{ customer_id: string; region: string }>('SELECT customer_id, region FROM customer_profiles ORDER BY customer_id');
  for (const { customer_id, region } of regions) (region === 'GZ' ? inScope : outsideScope).push(customer_id);
  await setCacheScope(api.db, { team: 'T1', regions: ['GZ'], hotSetCap: 0, by: 'test', now: TEST_NOW });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  desk = startBackend({ cachePath: temp.path(), apiUrl: `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`, now: () => clock.now });
  await desk.call('session/login', { username: 'agent01', password: DEMO_PASSWORD }); // team T1
  expect((await sync()).customersCached).toBe(inScope.length);
});
afterAll(async () => {
  await desk?.backend.close();
  await api?.close();
});

const openById = (customerId: string, purpose: 'search' | 'outbound') => desk.call<CustomerCard>('card/byCustomer', { customerId, callId: null, purpose });
const serverViewsOf = (customerId: string) =>
  api.db.query<{ purpose: string; phone_masked: string }>(
    `SELECT purpose, phone_masked FROM card_view_audit WHERE agent_id = 'agent01' AND customer_id = $1 AND purpose = 'outbound'`,
    [customerId],
  );

describe('a card opened by customer id on a desk with a cache scope', () => {
  it('opens a customer its scope holds from the cache', async () => {
    const card = await openById(inScope[0]!, 'search');
    expect(card.customer?.id).toBe(inScope[0]);
    expect(card.source).toBeUndefined();
  });

  it('asks the central API for a customer outside its scope, paints the card as from the server, and keeps the customer for the day', async () => {
    const outsider = outsideScope[0]!;
    const fromServer = await openById(outsider, 'outbound');
    expect(fromServer.source).toBe('server');
    expect(fromServer.customer?.id).toBe(outsider);
    // The server stored the view (the desk queues none for a card it did not build). Opens from the
    // cache below are searches, which the desk's own audit upload sends whenever it runs.
    expect(await serverViewsOf(outsider)).toEqual([{ purpose: 'outbound', phone_masked: fromServer.phoneMasked }]);

    // Cached now: opened again, by id or by number, it comes from the cache, and the desk counts the visitor.
    const again = await openById(outsider, 'search');
    expect(again.source).toBeUndefined();
    expect(again.customer?.id).toBe(outsider);
    expect((await sync()).customersCached).toBe(inScope.length + 1);

    // The operator's day ends: the visitor leaves with the next sync, and the next open asks the server again.
    clock.now = endOfOperatorDay(TEST_NOW);
    expect((await sync()).customersCached).toBe(inScope.length);
    expect((await openById(outsider, 'outbound')).source).toBe('server');
    expect(await serverViewsOf(outsider)).toHaveLength(2);
  });

  it('says an id the book does not have is not found on the central server either', async () => {
    const missing = await desk.backend.invoke('card/byCustomer', { customerId: 'CUS9999999', callId: null, purpose: 'search' });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found_on_server', message: NOT_FOUND_ON_SERVER_MESSAGE } });
  });

  it('says plainly, offline, that a customer outside its cache cannot be opened, and still opens cached ones', async () => {
    const visitor = outsideScope[0]!; // cached again by the test above
    await api.app.close(); // the central API is gone (the last test of this file)

    const missed = await desk.backend.invoke('card/byCustomer', { customerId: outsideScope[1]!, callId: null, purpose: 'outbound' });
    expect(missed).toEqual({ ok: false, error: { code: 'offline_miss', message: OFFLINE_CUSTOMER_MISS_MESSAGE } });
    expect((await openById(inScope[1]!, 'search')).customer?.id).toBe(inScope[1]);
    expect((await openById(visitor, 'search')).customer?.id).toBe(visitor);
  });
});
