// What an outcome batch teaches, in the same transaction as the outcomes: offer stats per
// segment, the customer's contact history, fulfilment orders; newly stored outcomes only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeBatchResponse, type OutcomeBatchRequest } from '../../shared/contract/central-api';
import { CONTACT_HISTORY_MAX, ContactHistory, OfferStats } from '../../shared/contract/entities';
import type { OfferContext, Outcome } from '../../shared/contract/outcomes';
import { FulfilmentOrderList } from '../../shared/contract/fulfilment';
import type { CentralApi } from '../../server/app';
import { UNKNOWN_SEGMENT } from '../../server/outcomes/offer-stats';
import { readChangesPage } from '../../server/sync/changes-page';
import { bearer, expectApiError, login, outcomeItem, startTestApi } from './support/test-api';

let api: CentralApi;
let agentToken: string;
let adminToken: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 20 });
  agentToken = await login(api.app, 'agent01');
  adminToken = await login(api.app, 'admin01');
});
afterAll(() => api?.close());

async function upload(batch: OutcomeBatchRequest) {
  const response = await api.app.inject({ method: 'POST', url: '/outcomes/batch', headers: bearer(agentToken), payload: batch });
  expect(response.statusCode, response.body).toBe(200);
  return OutcomeBatchResponse.parse(response.json());
}

const context = (segment: string): OfferContext => ({
  modelVersion: 'test-model',
  stage: 'D',
  valueTier: 'gold',
  warningLevel: 'red',
  churnProbability: 0.4,
  segment,
  rank: 1,
  expectedValue: 120,
  pAccept: 0.3,
  explored: false,
  arpu3m: 59,
});

async function statsOf(offerId: string): Promise<OfferStats | undefined> {
  const [row] = await api.db.query<{ data: unknown }>('SELECT data FROM offer_stats WHERE offer_id = $1', [offerId]);
  return row === undefined ? undefined : OfferStats.parse(row.data);
}
async function historyOf(customerId: string): Promise<ContactHistory | undefined> {
  const [row] = await api.db.query<{ data: unknown }>('SELECT data FROM contact_history WHERE customer_id = $1', [customerId]);
  return row === undefined ? undefined : ContactHistory.parse(row.data);
}
const lastSeq = async () => (await readChangesPage(api.db, 0, 5000)).nextCursor;

describe('offer stats', () => {
  it('counts presentations and acceptances per segment, callbacks and not-presented not at all', async () => {
    const offerId = 'OFF-D-RETENTION-BONUS-DATA';
    const deviceId = 'desk-learning';
    const items = [
      outcomeItem(deviceId, 1, { offerId, result: 'accepted', context: context('D/gold') }),
      outcomeItem(deviceId, 2, { offerId, result: 'declined', context: context('D/gold') }),
      outcomeItem(deviceId, 3, { offerId, result: 'declined', context: context('D/silver') }),
      outcomeItem(deviceId, 4, { offerId, result: 'callback', callbackAt: new Date(Date.now() + 86_400_000).toISOString(), context: context('D/gold') }),
      outcomeItem(deviceId, 5, { offerId, result: 'accepted' }),
      outcomeItem(deviceId, 6, { offerId: null, result: 'not_presented', context: context('D/gold') }),
    ];
    const cursor = await lastSeq();
    expect((await upload({ deviceId, items })).results.map((r) => r.status)).toEqual(Array(6).fill('accepted'));

    const stats = await statsOf(offerId);
    expect(stats).toMatchObject({
      offerId,
      version: 1,
      segments: { 'D/gold': { presented: 2, accepted: 1 }, 'D/silver': { presented: 1, accepted: 0 }, [UNKNOWN_SEGMENT]: { presented: 1, accepted: 1 } },
    });
    // The desks pull it: one upsert in the change feed for the offer's stats.
    const changes = (await readChangesPage(api.db, cursor, 100)).changes.filter((c) => c.entity === 'offer_stats');
    expect(changes).toEqual([expect.objectContaining({ op: 'upsert', id: offerId, version: 1, data: stats })]);
  });

  it('adds a later batch to the counts with a new version, and a resent batch not at all', async () => {
    const offerId = 'OFF-D-NETWORK-CARE';
    const deviceId = 'desk-learning-again';
    const first = [outcomeItem(deviceId, 1, { offerId, result: 'accepted', context: context('C/bronze') })];
    await upload({ deviceId, items: first });
    const second = [outcomeItem(deviceId, 2, { offerId, result: 'declined', context: context('C/bronze') })];
    await upload({ deviceId, items: second });
    expect(await statsOf(offerId)).toMatchObject({ version: 2, segments: { 'C/bronze': { presented: 2, accepted: 1 } } });

    const cursor = await lastSeq();
    const resent = await upload({ deviceId, items: [...first, ...second] });
    expect(resent.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await statsOf(offerId)).toMatchObject({ version: 2, segments: { 'C/bronze': { presented: 2, accepted: 1 } } });
    expect(await lastSeq()).toBe(cursor);
  });
});

describe('contact history', () => {
  it('keeps every contact of a customer newest first, across results and channels', async () => {
    const deviceId = 'desk-history';
    const customerId = 'CUS0000005';
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const items: Outcome[] = [
      { ...outcomeItem(deviceId, 1, { customerId, result: 'declined' }), recordedAt: at(30) },
      { ...outcomeItem(deviceId, 2, { customerId, result: 'not_presented', offerId: null, channel: 'store' }), recordedAt: at(10) },
      { ...outcomeItem(deviceId, 3, { customerId, result: 'accepted', channel: 'outbound' }), recordedAt: at(20) },
    ];
    await upload({ deviceId, items });
    const history = await historyOf(customerId);
    expect(history?.contacts).toEqual([
      { outcomeId: items[1]!.outcomeId, offerId: null, result: 'not_presented', channel: 'store', agentId: 'agent01', at: items[1]!.recordedAt },
      {
        outcomeId: items[2]!.outcomeId,
        offerId: 'OFF-D-RETENTION-DISCOUNT',
        result: 'accepted',
        channel: 'outbound',
        agentId: 'agent01',
        at: items[2]!.recordedAt,
      },
      {
        outcomeId: items[0]!.outcomeId,
        offerId: 'OFF-D-RETENTION-DISCOUNT',
        result: 'declined',
        channel: 'hotline',
        agentId: 'agent01',
        at: items[0]!.recordedAt,
      },
    ]);
    const [row] = await api.db.query<{ last_contact_at: Date }>('SELECT last_contact_at FROM contact_history WHERE customer_id = $1', [customerId]);
    expect(new Date(row!.last_contact_at).toISOString()).toBe(items[1]!.recordedAt);
  });

  it(`keeps at most ${CONTACT_HISTORY_MAX} contacts of the last 90 days and ignores a contact too old to keep`, async () => {
    const deviceId = 'desk-history-cap';
    const customerId = 'CUS0000006';
    const items = Array.from({ length: CONTACT_HISTORY_MAX + 5 }, (_, i) => ({
      ...outcomeItem(deviceId, i + 1, { customerId, result: 'not_presented', offerId: null }),
      recordedAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    }));
    await upload({ deviceId, items });
    const history = await historyOf(customerId);
    expect(history?.contacts.map((c) => c.outcomeId)).toEqual(items.slice(0, CONTACT_HISTORY_MAX).map((i) => i.outcomeId));

    const stale = {
      ...outcomeItem(deviceId, 100, { customerId: 'CUS0000007', result: 'not_presented', offerId: null }),
      recordedAt: new Date(Date.now() - 91 * 86_400_000).toISOString(),
    };
    expect((await upload({ deviceId, items: [stale] })).results[0]?.status).toBe('accepted');
    expect(await historyOf('CUS0000007')).toBeUndefined();
  });
});

describe('fulfilment orders', () => {
  it("creates one order per accepted offer with the offer's action, and lists them to admins page by page", async () => {
    const deviceId = 'desk-fulfilment';
    const [{ before } = { before: 0 }] = await api.db.query<{ before: number }>('SELECT coalesce(max(id), 0) AS before FROM fulfilment_orders');
    const upgrade = outcomeItem(deviceId, 1, { offerId: 'OFF-B-5G-UPGRADE', customerId: 'CUS0000008' });
    const discount = outcomeItem(deviceId, 2, { offerId: 'OFF-D-RETENTION-DISCOUNT', customerId: 'CUS0000009' });
    const declined = outcomeItem(deviceId, 3, { offerId: 'OFF-B-5G-UPGRADE', result: 'declined' });
    await upload({ deviceId, items: [upgrade, discount, declined] });
    await upload({ deviceId, items: [upgrade] });

    const page = async (after: number) => {
      const response = await api.app.inject({ method: 'GET', url: `/fulfilment/orders?after=${after}&limit=1`, headers: bearer(adminToken) });
      expect(response.statusCode, response.body).toBe(200);
      return FulfilmentOrderList.parse(response.json());
    };
    const first = await page(before);
    const second = await page(first.nextCursor);
    const third = await page(second.nextCursor);
    expect([...first.orders, ...second.orders]).toEqual([
      expect.objectContaining({
        outcomeId: upgrade.outcomeId,
        customerId: 'CUS0000008',
        offerId: 'OFF-B-5G-UPGRADE',
        action: 'plan_change',
        planCode: '5G99',
        agentId: 'agent01',
        status: 'pending',
      }),
      expect.objectContaining({
        outcomeId: discount.outcomeId,
        customerId: 'CUS0000009',
        offerId: 'OFF-D-RETENTION-DISCOUNT',
        action: 'bill_credit',
        planCode: null,
        status: 'pending',
      }),
    ]);
    expect(third).toEqual({ orders: [], nextCursor: second.nextCursor });
  });

  it('answers a bad cursor with 400 and agents with 403', async () => {
    expectApiError(await api.app.inject({ method: 'GET', url: '/fulfilment/orders?after=-1', headers: bearer(adminToken) }), 400);
    expectApiError(await api.app.inject({ method: 'GET', url: '/fulfilment/orders', headers: bearer(agentToken) }), 403);
  });
});

describe('who an outcome is recorded for', () => {
  it("rejects an item in another agent's name and stores, counts and orders nothing for it", async () => {
    const deviceId = 'desk-impostor';
    const forged = outcomeItem(deviceId, 1, { offerId: 'OFF-A-WELCOME-DATA', customerId: 'CUS0000010', context: context('A/bronze') }, 'agent02');
    const own = outcomeItem(deviceId, 2, { offerId: null, result: 'not_presented', customerId: 'CUS0000011' });
    const response = await upload({ deviceId, items: [forged, own] });
    expect(response.results).toEqual([
      { outcomeId: forged.outcomeId, status: 'rejected', code: 'agent_mismatch', message: expect.stringContaining("'agent02'") },
      { outcomeId: own.outcomeId, status: 'accepted' },
    ]);
    expect(await api.db.query('SELECT 1 FROM outcomes WHERE outcome_id = $1', [forged.outcomeId])).toEqual([]);
    expect(await statsOf('OFF-A-WELCOME-DATA')).toBeUndefined();
    expect(await historyOf('CUS0000010')).toBeUndefined();
    expect(await api.db.query('SELECT 1 FROM fulfilment_orders WHERE outcome_id = $1', [forged.outcomeId])).toEqual([]);
  });
});
