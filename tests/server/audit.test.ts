// The card-view audit log: stored once per viewId, committed before the answer, refused whole when
// an item is not the caller's or carries a clear number.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardViewAuditAccepted, CardViewAuditList, type CardViewAudit } from '../../shared/contract/card-view-audit';
import type { CentralApi } from '../../server/app';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';

let api: CentralApi;
let agentToken: string;
let supervisorToken: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 0 });
  agentToken = await login(api.app, 'agent01');
  supervisorToken = await login(api.app, 'sup01');
});
afterAll(() => api?.close());

function view(overrides: Partial<CardViewAudit> = {}): CardViewAudit {
  return {
    viewId: uuidv7(),
    agentId: 'agent01',
    customerId: 'CUS0000001',
    phoneMasked: '138****5678',
    purpose: 'call',
    callId: 'call-1',
    viewedAt: new Date().toISOString(),
    ...overrides,
  };
}

const post = (items: CardViewAudit[], token = agentToken, deviceId = 'desk-audit') =>
  api.app.inject({ method: 'POST', url: '/audit/card-views', headers: bearer(token), payload: { deviceId, items } });

async function storedCount(): Promise<number> {
  const [row] = await api.db.query<{ n: number }>('SELECT count(*) AS n FROM card_view_audit');
  return row!.n;
}

describe('POST /audit/card-views', () => {
  it('stores each view once: a resent batch and a repeat within a batch count as duplicates', async () => {
    const before = await storedCount();
    const a = view();
    const b = view({ customerId: null, phoneMasked: null, purpose: 'search', callId: null });
    const first = await post([a, b, a]);
    expect(first.statusCode, first.body).toBe(200);
    expect(CardViewAuditAccepted.parse(first.json())).toEqual({ stored: 2, duplicates: 1 });
    expect(CardViewAuditAccepted.parse((await post([b, a])).json())).toEqual({ stored: 0, duplicates: 2 });
    expect(await storedCount()).toBe(before + 2);

    const [row] = await api.db.query('SELECT agent_id, customer_id, phone_masked, purpose, call_id, device_id FROM card_view_audit WHERE view_id = $1', [
      a.viewId,
    ]);
    expect(row).toEqual({
      agent_id: 'agent01',
      customer_id: 'CUS0000001',
      phone_masked: '138****5678',
      purpose: 'call',
      call_id: 'call-1',
      device_id: 'desk-audit',
    });
  });

  it("refuses a batch holding someone else's view (403) and stores none of it", async () => {
    const before = await storedCount();
    const error = expectApiError(await post([view(), view({ agentId: 'agent02' })]), 403);
    expect(error.error).toBe('agent_mismatch');
    expect(error.message).toContain("items.1.agentId 'agent02' is not the caller 'agent01'");
    expect(await storedCount()).toBe(before);
  });

  it('refuses a clear phone number (400) and stores none of the batch', async () => {
    const before = await storedCount();
    for (const phoneMasked of ['13812345678', '+86 1381234567', 'tel:8123456']) {
      const error = expectApiError(await post([view(), view({ phoneMasked })]), 400);
      expect(error.error).toBe('clear_phone_number');
      expect(error.message).toContain('items.1.phoneMasked');
      expect(error.message).not.toContain(phoneMasked);
    }
    expect(await storedCount()).toBe(before);
  });

  it('refuses what the contract excludes: the refresh purpose, an empty batch, unknown fields', async () => {
    const before = await storedCount();
    expectApiError(await post([{ ...view(), purpose: 'refresh' as CardViewAudit['purpose'] }]), 400);
    expectApiError(await post([]), 400);
    expectApiError(await post([{ ...view(), extra: 1 } as CardViewAudit]), 400);
    expect(await storedCount()).toBe(before);
  });
});

describe('GET /audit/card-views', () => {
  it("pages through one customer's views in arrival order", async () => {
    const customerId = 'CUS-AUDIT-PAGED';
    const items = [1, 2, 3].map((n) => view({ customerId, callId: `paged-${n}` }));
    await post(items);
    await post([view({ customerId: 'CUS-SOMEONE-ELSE' })]);

    const read = async (after: number) => {
      const response = await api.app.inject({
        method: 'GET',
        url: `/audit/card-views?customerId=${customerId}&after=${after}&limit=2`,
        headers: bearer(supervisorToken),
      });
      expect(response.statusCode, response.body).toBe(200);
      return CardViewAuditList.parse(response.json());
    };
    const first = await read(0);
    expect(first.views.map((v) => v.viewId)).toEqual([items[0]!.viewId, items[1]!.viewId]);
    expect(first.views[0]).toMatchObject({ ...items[0], serverSeq: expect.any(Number), receivedAt: expect.any(String) });
    const second = await read(first.nextCursor);
    expect(second.views.map((v) => v.viewId)).toEqual([items[2]!.viewId]);
    const third = await read(second.nextCursor);
    expect(third).toEqual({ views: [], nextCursor: second.nextCursor });
  });
});
