// The desk operations added for store search, the outbound queue, supervisor reports and the
// card-view audit, through the real backend against the mock central API.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deskContract, type DeskOperation, type DeskOutput } from '../../shared/contract/desk-api';
import { startBackend, type BackendHarness } from './support/backend-harness';
import { makeCustomer, makeOffer, makeScore } from '../db/support/fixtures';
import { startMockCentralApi, type MockCentralApi } from './support/mock-central-api';
import { useTempDir } from '../db/support/temp-dir';
import { until } from './support/wait';

const temp = useTempDir();
const PERIOD = { from: '2025-05-01', to: '2025-05-31' };
const output = <C extends DeskOperation>(channel: C, value: unknown): DeskOutput<C> => deskContract[channel].output.parse(value) as DeskOutput<C>;

describe('desk operations: search, outbound queue, reports, card-view audit', () => {
  let mock: MockCentralApi;
  let h: BackendHarness;
  let cachePath: string;

  beforeEach(async () => {
    mock = await startMockCentralApi();
    mock.put('customer', makeCustomer(1, { name: '张三丰' }));
    mock.put('customer', makeCustomer(2, { name: '李四' }));
    mock.put('customer', makeCustomer(3, { name: '王五' }));
    mock.put('score', makeScore('c-1', { stage: 'D' }));
    mock.put('score', makeScore('c-2', { stage: 'C' }));
    mock.put('score', makeScore('c-3', { stage: 'C' }));
    // Stage D customers get the more valuable offer, so their contact is worth more.
    mock.put('offer', makeOffer('o-big', { eligibility: { field: 'stage', op: 'eq', value: 'D' }, valueYuan: 300 }));
    mock.put('offer', makeOffer('o-small', { eligibility: { field: 'stage', op: 'eq', value: 'C' }, valueYuan: 100 }));
    cachePath = temp.path();
    h = startBackend({ cachePath, apiUrl: mock.url });
  });
  afterEach(async () => {
    await h.backend.close();
    await mock.close();
  });

  const auditRows = () => {
    const db = new Database(cachePath, { readonly: true });
    try {
      return db
        .prepare<[], string>('SELECT payload FROM audit_outbox ORDER BY seq')
        .pluck()
        .all()
        .map((json) => JSON.parse(json) as unknown);
    } finally {
      db.close();
    }
  };

  it('searches the cache by phone, ID and name and returns masked matches', async () => {
    await h.loginAndSync('store1');
    const byName = output('customer/search', await h.call('customer/search', { query: '张四丰' }));
    expect(byName).toEqual({
      matches: [expect.objectContaining({ customerId: 'c-1', name: '张三丰', phoneMasked: '138****0001', matchedOn: 'name_fuzzy' })],
      truncated: false,
    });
    const byPhone = output('customer/search', await h.call('customer/search', { query: '1380000000' }));
    expect(byPhone.matches.map((m) => m.customerId)).toEqual(['c-1', 'c-2', 'c-3']);
    expect(JSON.stringify(byPhone)).not.toMatch(/\d{7}/);
    expect(output('customer/search', await h.call('customer/search', { query: '&&&' }))).toEqual({ matches: [], truncated: false });
  });

  it('opens a card by customer id (store channel) and answers not_found for an id the cache lacks', async () => {
    await h.loginAndSync('store1');
    const card = output('card/byCustomer', await h.call('card/byCustomer', { customerId: 'c-1', purpose: 'search' }));
    expect(card.customer?.id).toBe('c-1');
    expect(await h.backend.invoke('card/byCustomer', { customerId: 'c-404', purpose: 'search' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses to look up what is not a mobile number, with the reason', async () => {
    await h.loginAndSync('li');
    expect(await h.backend.invoke('card/byPhone', { phone: 'abc-123', purpose: 'lookup' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('not a mainland mobile number') },
    });
  });

  it('writes an audit row for every card opened except a refresh, in the same call', async () => {
    await h.loginAndSync('li');
    mock.faults.setDown(true); // rows stay in the outbox, so the test sees them
    await h.call('card/byPhone', { phone: '+8613800000001', callId: 'call-7', purpose: 'call' });
    await h.call('card/byPhone', { phone: '13800000001', callId: 'call-7', purpose: 'refresh' });
    await h.call('card/byPhone', { phone: '13999999999', purpose: 'lookup' }); // not a customer
    await h.call('card/byCustomer', { customerId: 'c-2', callId: '', purpose: 'outbound' });
    const rows = auditRows();
    expect(rows).toEqual([
      expect.objectContaining({ agentId: 'agent-li', customerId: 'c-1', phoneMasked: '138****0001', purpose: 'call', callId: 'call-7' }),
      expect.objectContaining({ customerId: null, phoneMasked: '139****9999', purpose: 'lookup', callId: null }),
      expect.objectContaining({ customerId: 'c-2', phoneMasked: '138****0002', purpose: 'outbound', callId: null }),
    ]);
    expect(new Set(rows.map((row) => (row as { viewId: string }).viewId)).size).toBe(3);
  });

  it('uploads each card view exactly once through 500s, a lost answer and an outage', async () => {
    await h.loginAndSync('li');
    const open = (n: number) => h.call('card/byPhone', { phone: `1380000000${(n % 3) + 1}`, callId: `call-${n}`, purpose: 'call' });

    mock.faults.failNext(3, 500);
    for (let n = 0; n < 4; n++) await open(n);
    mock.faults.dropAuditResponsesAfterCommit(1); // committed on the server, the desk never hears
    for (let n = 4; n < 8; n++) await open(n);
    mock.faults.setDown(true);
    for (let n = 8; n < 12; n++) await open(n);
    await until(() => h.events.some((e) => e.type === 'sync' && !e.status.online), 10_000, 'the desk to notice the outage');
    expect(auditRows().length).toBeGreaterThan(0);
    mock.faults.setDown(false);

    await until(() => auditRows().length === 0, 20_000, 'the audit outbox to drain');
    const stored = mock.auditViews();
    expect(stored.map((v) => v.callId).sort()).toEqual(Array.from({ length: 12 }, (_, n) => `call-${n}`).sort());
    expect(new Set(stored.map((v) => v.viewId)).size).toBe(12);
    expect(mock.stats.auditDuplicates).toBeGreaterThan(0); // the lost answer was resent with the same ids
  });

  it('ranks the outbound queue: callbacks first, then by the best offer’s expected value; offline it serves the cached queue', async () => {
    await h.loginAndSync('li');
    mock.setOutboundCandidates([
      { customerId: 'c-2', slot: 'at_risk', callbackAt: null, valueAtRisk: 900, lastContactAt: null },
      { customerId: 'c-404', slot: 'at_risk', callbackAt: null, valueAtRisk: 800, lastContactAt: null },
      { customerId: 'c-1', slot: 'at_risk', callbackAt: null, valueAtRisk: 100, lastContactAt: null },
      { customerId: 'c-3', slot: 'callback', callbackAt: '2025-06-01T09:00:00Z', valueAtRisk: 1, lastContactAt: '2025-05-30T09:00:00Z' },
    ]);
    const queue = output('outbound/queue', await h.call('outbound/queue'));
    expect(queue.cachedAt).toBeNull();
    expect(queue.items.map((i) => [i.customerId, i.slot, i.bestOffer?.offerId])).toEqual([
      ['c-3', 'callback', 'o-small'],
      ['c-1', 'at_risk', 'o-big'],
      ['c-2', 'at_risk', 'o-small'],
    ]);
    expect(queue.items[1]!.expectedValue).toBeGreaterThan(queue.items[2]!.expectedValue);
    expect(queue.items[0]).toMatchObject({ name: '王五', phoneMasked: '138****0003', stage: 'C', warningLevel: 'red' });
    // The callback's time has passed; at-risk customers are never overdue.
    expect(queue.items.map((i) => i.overdue)).toEqual([true, false, false]);

    mock.faults.setDown(true);
    const offline = output('outbound/queue', await h.call('outbound/queue'));
    expect(offline.items).toEqual(queue.items);
    expect(offline.cachedAt).not.toBeNull();
    expect(Date.parse(offline.cachedAt ?? '')).toBeLessThanOrEqual(Date.now());
  });

  it('answers offline for a queue or report never fetched on this desk', async () => {
    await h.loginAndSync('sup1');
    mock.faults.setDown(true);
    for (const [operation, input] of [
      ['outbound/queue', {}],
      ['reports/retention', PERIOD],
    ] as const) {
      expect(await h.backend.invoke(operation, input)).toMatchObject({ ok: false, error: { code: 'offline' } });
    }
  });

  it('fetches reports for supervisors, caches each answer per query and serves it offline with cachedAt', async () => {
    await h.loginAndSync('sup1');
    const retention = output('reports/retention', await h.call('reports/retention', { ...PERIOD, team: 'T1' }));
    expect(retention).toMatchObject({ cachedAt: null, report: { query: { ...PERIOD, team: 'T1' }, kpis: { contacts: 7 } } });
    const outcomes = output('reports/outcomes', await h.call('reports/outcomes', PERIOD));
    expect(outcomes).toMatchObject({ cachedAt: null, report: { query: { ...PERIOD, team: null }, rows: [] } });
    expect(mock.reportRequests).toEqual([
      { path: '/reports/retention', query: { ...PERIOD, team: 'T1' }, role: 'supervisor' },
      { path: '/reports/outcomes', query: PERIOD, role: 'supervisor' },
    ]);

    mock.faults.setDown(true);
    const cached = output('reports/retention', await h.call('reports/retention', { ...PERIOD, team: 'T1' }));
    expect(cached.report).toEqual(retention.report);
    expect(cached.cachedAt).not.toBeNull();
    // Another period was never fetched: no stale answer passed off as it.
    expect(await h.backend.invoke('reports/retention', { from: '2025-04-01', to: '2025-04-30', team: 'T1' })).toMatchObject({
      ok: false,
      error: { code: 'offline' },
    });
  });

  it('refuses reports to agents and store staff as forbidden, without asking the server', async () => {
    for (const username of ['li', 'store1']) {
      await h.loginAndSync(username);
      for (const operation of ['reports/retention', 'reports/outcomes'] as const) {
        expect(await h.backend.invoke(operation, PERIOD)).toEqual({
          ok: false,
          error: { code: 'forbidden', message: 'reports are for supervisors and admins' },
        });
      }
    }
    expect(mock.reportRequests).toEqual([]);
    expect(await h.backend.invoke('reports/retention', { from: '2025-06-01', to: '2025-05-01' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });
});
