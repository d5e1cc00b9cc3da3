import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeBatchResponse, OutcomeListResponse, type OutcomeBatchRequest } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { outcomeDedupeFlows } from './support/core-flows';
import { bearer, login, outcomeItem, startTestApi } from './support/test-api';

let api: CentralApi;
let agentToken: string;
let supervisorToken: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 20 });
  agentToken = await login(api.app, 'agent01');
  supervisorToken = await login(api.app, 'sup01');
});
afterAll(() => api?.close());

async function upload(batch: OutcomeBatchRequest) {
  const response = await api.app.inject({ method: 'POST', url: '/outcomes/batch', headers: bearer(agentToken), payload: batch });
  expect(response.statusCode, response.body).toBe(200);
  return OutcomeBatchResponse.parse(response.json());
}

describe('POST /outcomes/batch', () => {
  outcomeDedupeFlows(() => api);

  it('rejects single items (other device, unknown offer) without failing the rest of the batch', async () => {
    const deviceId = 'desk-mixed';
    const good = outcomeItem(deviceId, 4);
    const otherDevice = outcomeItem('desk-somewhere-else', 5);
    const unknownOffer = outcomeItem(deviceId, 6, { offerId: 'OFF-DOES-NOT-EXIST' });
    const noOffer = outcomeItem(deviceId, 7, { result: 'not_presented', offerId: null });

    const response = await upload({ deviceId, items: [good, otherDevice, unknownOffer, noOffer] });
    expect(response.results).toEqual([
      { outcomeId: good.outcomeId, status: 'accepted' },
      { outcomeId: otherDevice.outcomeId, status: 'rejected', code: 'device_mismatch', message: expect.stringContaining('desk-somewhere-else') },
      { outcomeId: unknownOffer.outcomeId, status: 'rejected', code: 'unknown_offer', message: expect.stringContaining('OFF-DOES-NOT-EXIST') },
      { outcomeId: noOffer.outcomeId, status: 'accepted' },
    ]);
    expect(response.lastAppliedClientSeq).toBe(7);
    const stored = await api.db.query<{ id: string }>('SELECT outcome_id::text AS id FROM outcomes WHERE device_id = $1 ORDER BY server_seq', [deviceId]);
    expect(stored.map((r) => r.id)).toEqual([good.outcomeId, noOffer.outcomeId]);
    expect(await api.db.query('SELECT 1 FROM outcomes WHERE outcome_id = $1', [otherDevice.outcomeId])).toEqual([]);
  });

  it('reports the second copy of an id within one batch as duplicate', async () => {
    const item = outcomeItem('desk-twice', 1);
    const response = await upload({ deviceId: 'desk-twice', items: [item, item] });
    expect(response.results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
  });

  it('stores the first copy of an id within one batch and orders nothing for a later accepted copy', async () => {
    const declined = outcomeItem('desk-copies', 1, { result: 'declined', offerId: 'OFF-B-5G-UPGRADE' });
    const acceptedCopy = { ...declined, clientSeq: 2, draft: { ...declined.draft, result: 'accepted' as const, declineReason: null } };
    const response = await upload({ deviceId: 'desk-copies', items: [declined, acceptedCopy] });
    expect(response.results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(response.lastAppliedClientSeq).toBe(2);
    expect(await api.db.query('SELECT result FROM outcomes WHERE outcome_id = $1', [declined.outcomeId])).toEqual([{ result: 'declined' }]);
    expect(await api.db.query('SELECT 1 FROM fulfilment_orders WHERE outcome_id = $1', [declined.outcomeId])).toEqual([]);
  });

  it('never moves lastAppliedClientSeq backwards', async () => {
    const deviceId = 'desk-monotonic';
    expect((await upload({ deviceId, items: [outcomeItem(deviceId, 9)] })).lastAppliedClientSeq).toBe(9);
    expect((await upload({ deviceId, items: [outcomeItem(deviceId, 2)] })).lastAppliedClientSeq).toBe(9);
    const rejectedOnly = await upload({ deviceId, items: [outcomeItem(deviceId, 12, { offerId: 'OFF-GONE' })] });
    expect(rejectedOnly.lastAppliedClientSeq).toBe(9);
  });
});

describe('GET /outcomes', () => {
  it('pages through stored outcomes in server order, each once, as the desk sent them', async () => {
    const deviceId = 'desk-listing';
    const items = [1, 2, 3, 4, 5].map((seq) => outcomeItem(deviceId, seq));
    await upload({ deviceId, items });

    const seen = [];
    let cursor = 0;
    for (;;) {
      const response = await api.app.inject({ method: 'GET', url: `/outcomes?after=${cursor}&limit=2`, headers: bearer(supervisorToken) });
      expect(response.statusCode, response.body).toBe(200);
      const page = OutcomeListResponse.parse(response.json());
      if (page.outcomes.length === 0) {
        expect(page.nextCursor).toBe(cursor);
        break;
      }
      for (const outcome of page.outcomes) expect(outcome.serverSeq).toBeGreaterThan(seen.at(-1)?.serverSeq ?? cursor);
      seen.push(...page.outcomes);
      cursor = page.nextCursor;
    }
    const ids = seen.map((o) => o.outcomeId);
    expect(new Set(ids).size).toBe(ids.length);
    const [total] = await api.db.query<{ n: number }>('SELECT count(*) AS n FROM outcomes');
    expect(ids).toHaveLength(total!.n);

    const listed = seen.filter((o) => o.deviceId === deviceId);
    expect(listed.map(({ serverSeq: _s, receivedAt: _r, ...outcome }) => outcome)).toEqual(items);
    for (const o of listed) expect(Date.parse(o.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});
