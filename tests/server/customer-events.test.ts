// Events logged on the desk during a call (a complaint, a network fault): folded into the
// customer once, re-scored with the published bundle exactly as the desk re-scores, visible in
// the change feed up to the appliedAtSeq the answer names.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import { CustomerEventBatchResponse, type CustomerEvent, type CustomerEventKind } from '../../shared/contract/customer-events';
import { Customer, CustomerScore } from '../../shared/contract/entities';
import type { CentralApi } from '../../server/app';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { upsertCustomers } from '../../server/sync/change-log';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';

const DEVICE = 'desk-events-1';

function eventItem(customerId: string, kind: CustomerEventKind, agentId = 'agent01', deviceId = DEVICE): CustomerEvent {
  return { eventId: uuidv7(), deviceId, agentId, recordedAt: new Date().toISOString(), draft: { customerId, callId: 'call-1', kind, note: '' } };
}

async function postEvents(api: CentralApi, token: string, items: CustomerEvent[], deviceId = DEVICE) {
  const response = await api.app.inject({ method: 'POST', url: '/customer-events/batch', headers: bearer(token), payload: { deviceId, items } });
  expect(response.statusCode, response.body).toBe(200);
  return CustomerEventBatchResponse.parse(response.json()).results;
}

async function storedCustomer(api: CentralApi, id: string): Promise<Customer> {
  const [row] = await api.db.query<{ data: unknown }>('SELECT data FROM customers WHERE id = $1', [id]);
  return Customer.parse(row?.data);
}

async function storedScore(api: CentralApi, id: string): Promise<CustomerScore | null> {
  const [row] = await api.db.query<{ data: unknown }>('SELECT data FROM scores WHERE customer_id = $1', [id]);
  return row === undefined ? null : CustomerScore.parse(row.data);
}

/** Everything a refused event must leave as it was. */
async function fingerprint(api: CentralApi): Promise<unknown> {
  const [row] = await api.db.query(`SELECT
      (SELECT count(*) FROM customer_events) AS events,
      (SELECT coalesce(max(change_seq), 0) FROM customers) AS customers_seq,
      (SELECT coalesce(max(change_seq), 0) FROM scores) AS scores_seq,
      (SELECT coalesce(sum(version), 0) FROM customers) AS customer_versions`);
  return row;
}

const seqOf = (result: { status: string; appliedAtSeq?: number } | undefined) => {
  expect(result?.status === 'accepted' || result?.status === 'duplicate', JSON.stringify(result)).toBe(true);
  return result!.appliedAtSeq!;
};

describe('POST /customer-events/batch', () => {
  let api: CentralApi;
  let agent: string;
  let bundle: ScoringBundle;

  beforeAll(async () => {
    api = await startTestApi();
    agent = await login(api.app, 'agent01');
    const response = await api.app.inject({ method: 'GET', url: '/scoring/bundle', headers: bearer(agent) });
    bundle = ScoringBundle.parse(response.json());
  });
  afterAll(() => api?.close());

  it('folds a complaint into the stored customer once, however often it is resent', async () => {
    const before = await storedCustomer(api, 'CUS0000003');
    const item = eventItem(before.id, 'complaint');
    const [accepted] = await postEvents(api, agent, [item]);
    expect(accepted?.status).toBe('accepted');
    const after = await storedCustomer(api, before.id);
    expect(after).toMatchObject({ complaints30d: before.complaints30d + 1, complaints90d: before.complaints90d + 1, version: before.version + 1 });

    const [duplicate] = await postEvents(api, agent, [item]);
    expect(duplicate).toEqual({ eventId: item.eventId, status: 'duplicate', appliedAtSeq: seqOf(accepted) });
    expect(await storedCustomer(api, before.id)).toEqual(after);
  });

  it('counts an event repeated within one batch once', async () => {
    const before = await storedCustomer(api, 'CUS0000004');
    const item = eventItem(before.id, 'network_issue');
    const [first, second] = await postEvents(api, agent, [item, item]);
    expect(first?.status).toBe('accepted');
    expect(second).toEqual({ eventId: item.eventId, status: 'duplicate', appliedAtSeq: seqOf(first) });
    expect((await storedCustomer(api, before.id)).networkIssues90d).toBe(before.networkIssues90d + 1);
  });

  it('re-scores a calm customer given several complaints: the risk rises, exactly as the desk computes it, and the feed carries it up to appliedAtSeq', async () => {
    const [calmRow] = await api.db.query<{ id: string }>(
      "SELECT c.id FROM customers c JOIN scores s ON s.customer_id = c.id WHERE c.status = 'active' AND s.warning_level = 'none' AND (c.data->>'complaints30d')::int = 0 ORDER BY c.id LIMIT 1",
    );
    const calm = await storedCustomer(api, calmRow!.id);
    const scoreBefore = (await storedScore(api, calm.id))!;
    const [{ cursor }] = (await api.db.query<{ cursor: number }>('SELECT max(change_seq) AS cursor FROM customers')) as [{ cursor: number }];
    const kinds: CustomerEventKind[] = ['complaint', 'complaint', 'complaint', 'network_issue'];

    const results = await postEvents(
      api,
      agent,
      kinds.map((kind) => eventItem(calm.id, kind)),
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const appliedAtSeq = seqOf(results[0]);
    expect(results.map(seqOf)).toEqual(kinds.map(() => appliedAtSeq));

    const folded = await storedCustomer(api, calm.id);
    expect(folded).toEqual({ ...withCustomerEvents(calm, kinds), version: calm.version + 1 });
    const scoreAfter = (await storedScore(api, calm.id))!;
    expect(scoreAfter.churnProbability).toBeGreaterThan(scoreBefore.churnProbability);
    expect(scoreAfter.stage).toBe('D');
    expect(scoreAfter.stageReasons.map((r) => r.code)).toContain('complaints_30d');
    // The desk's own re-score of the folded record, with the bundle it downloaded, is the server's.
    const { version: _version, ...serverScore } = scoreAfter;
    expect(rescoreCustomer(folded, bundle, new Date(scoreAfter.scoredAt))).toEqual(serverScore);

    const feed = await api.app.inject({ method: 'GET', url: `/sync/changes?after=${cursor}&limit=1000`, headers: bearer(agent) });
    const changes = SyncChangesResponse.parse(feed.json()).changes.filter((c) => c.id === calm.id);
    const customerChange = changes.find((c) => c.entity === 'customer' && c.version === folded.version);
    const scoreChange = changes.find((c) => c.entity === 'score' && c.version === scoreAfter.version);
    expect(customerChange?.seq).toBeLessThanOrEqual(appliedAtSeq);
    expect(scoreChange?.seq).toBeLessThanOrEqual(appliedAtSeq);
    expect(Math.max(customerChange!.seq, scoreChange!.seq)).toBe(appliedAtSeq);
  });

  it('rejects events in another agent’s name, from another device or for an unknown customer, and changes nothing for them', async () => {
    const before = await fingerprint(api);
    const items = [
      eventItem('CUS0000005', 'complaint', 'agent02'),
      eventItem('CUS0000005', 'complaint', 'agent01', 'other-desk'),
      eventItem('CUS9999999', 'complaint'),
    ];
    const results = await postEvents(api, agent, items);
    expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['agent_mismatch', 'device_mismatch', 'unknown_customer']);
    const messages = results.map((r) => (r.status === 'rejected' ? r.message : ''));
    expect(messages[0]).toMatch(/agentId 'agent02' is not the logged-in user 'agent01'/);
    expect(messages[1]).toMatch(/deviceId 'other-desk' differs from the batch deviceId 'desk-events-1'/);
    expect(messages[2]).toMatch(/customer 'CUS9999999' does not exist/);
    expect(await fingerprint(api)).toEqual(before);
  });

  it('applies the good events of a batch and rejects the bad ones beside them', async () => {
    const before = await storedCustomer(api, 'CUS0000006');
    const results = await postEvents(api, agent, [eventItem(before.id, 'complaint', 'agent02'), eventItem(before.id, 'complaint')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect((await storedCustomer(api, before.id)).complaints30d).toBe(before.complaints30d + 1);
  });

  it('answers a malformed batch with a 400 naming the field, and stores nothing', async () => {
    const before = await fingerprint(api);
    const item = { ...eventItem('CUS0000007', 'complaint'), draft: { customerId: 'CUS0000007', kind: 'flood' } };
    const response = await api.app.inject({
      method: 'POST',
      url: '/customer-events/batch',
      headers: bearer(agent),
      payload: { deviceId: DEVICE, items: [item] },
    });
    expect(expectApiError(response, 400).message).toMatch(/items\.0\.draft\.kind/);
    expect(await fingerprint(api)).toEqual(before);
  });
});

describe('POST /customer-events/batch before the book was ever scored', () => {
  let api: CentralApi;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 0 });
    await api.db.transaction((tx) => upsertCustomers(tx, [generateDemoCustomer(0)]));
  });
  afterAll(() => api?.close());

  it('still folds the event into the customer and leaves the (absent) score alone', async () => {
    const customer = await storedCustomer(api, generateDemoCustomer(0).id);
    const [result] = await postEvents(api, await login(api.app, 'store01'), [eventItem(customer.id, 'complaint', 'store01')]);
    expect(result?.status).toBe('accepted');
    const [{ seq }] = (await api.db.query<{ seq: number }>('SELECT change_seq AS seq FROM customers WHERE id = $1', [customer.id])) as [{ seq: number }];
    expect(seqOf(result)).toBe(seq);
    expect((await storedCustomer(api, customer.id)).complaints30d).toBe(customer.complaints30d + 1);
    expect(await storedScore(api, customer.id)).toBeNull();
  });
});

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'customer events on PostgreSQL' : POSTGRES_SKIP_REASON, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let api: CentralApi;
  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    api = await startTestApi({ databaseUrl: scratch.url, seedCustomers: 50 });
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.drop();
  });

  it('folds concurrent batches for one customer without losing either, and re-scores as the desk does', async () => {
    const agent = await login(api.app, 'agent01');
    const bundle = ScoringBundle.parse((await api.app.inject({ method: 'GET', url: '/scoring/bundle', headers: bearer(agent) })).json());
    const before = await storedCustomer(api, 'CUS0000002');
    const batches = await Promise.all([1, 2, 3].map(() => postEvents(api, agent, [eventItem(before.id, 'complaint')])));
    expect(batches.flat().map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const folded = await storedCustomer(api, before.id);
    expect(folded.complaints30d).toBe(before.complaints30d + 3);
    const { version: _version, ...serverScore } = (await storedScore(api, before.id))!;
    expect(rescoreCustomer(folded, bundle, new Date(serverScore.scoredAt))).toEqual(serverScore);
  });
});
