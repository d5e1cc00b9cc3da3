// GET /cards/by-customer/:customerId: the card a desk opens by customer id when its cache does not
// hold the customer. It is the card GET /cards/by-phone/:phone gives for the same customer (one card
// builder, one masking), and the view is audited on the server once per viewId.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardByPhoneResponse } from '../../shared/contract/cache-scope';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import type { CentralApi } from '../../server/app';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';

let api: CentralApi;
let agent: string;
let customers: { id: string; phone: string; id_number: string }[];

beforeAll(async () => {
  api = await startTestApi();
  agent = await login(api.app, 'agent01');
  customers = await api.db.query('SELECT id, phone, id_number FROM customers WHERE NOT deleted ORDER BY id LIMIT 3');
});
afterAll(() => api?.close());

const query = (viewId: string, purpose = 'outbound') => `?purpose=${purpose}&callId=call-by-id-1&viewId=${viewId}&deviceId=desk-1`;
const byCustomer = (customerId: string, viewId: string, token = agent) =>
  api.app.inject({ method: 'GET', url: `/cards/by-customer/${encodeURIComponent(customerId)}${query(viewId)}`, headers: bearer(token) });

function idNumberIn(answer: CardByPhoneResponse): string | undefined {
  const row = answer.rows.find((document) => document.entity === 'customer');
  return row?.entity === 'customer' ? row.data.idNumber : undefined;
}

describe('GET /cards/by-customer/:customerId (PGlite)', () => {
  it('answers the card GET /cards/by-phone gives for the same customer, with the same rows and masking', async () => {
    const { id, phone, id_number } = customers[0]!;
    const answer = await byCustomer(id, uuidv7());
    expect(answer.statusCode, answer.body).toBe(200);
    const card = CardByPhoneResponse.parse(answer.json());
    const viaPhone = CardByPhoneResponse.parse(
      (await api.app.inject({ method: 'GET', url: `/cards/by-phone/${phone}${query(uuidv7())}`, headers: bearer(agent) })).json(),
    );
    expect(card).toEqual(viaPhone);
    expect(card.card.customer?.id).toBe(id);
    expect(card.card.phoneMasked).toBe(maskPhone(phone));
    expect(card.card.customer?.idNumberMasked).toBe(maskIdNumber(id_number));
    expect(idNumberIn(card)).toBe(maskIdNumber(id_number));

    // The store counter checks ID cards: its rows carry the whole number, its card still the masked one.
    const store = CardByPhoneResponse.parse((await byCustomer(id, uuidv7(), await login(api.app, 'store01'))).json());
    expect(idNumberIn(store)).toBe(id_number);
    expect(store.card.customer?.idNumberMasked).toBe(maskIdNumber(id_number));
  });

  it('stores the view in the card-view audit once per viewId, with the masked number and the purpose', async () => {
    const { id, phone } = customers[1]!;
    const viewId = uuidv7();
    expect((await byCustomer(id, viewId)).statusCode).toBe(200);
    expect((await byCustomer(id, viewId)).statusCode).toBe(200); // a retry of the same view
    const views = await api.db.query('SELECT agent_id, purpose, call_id, phone_masked FROM card_view_audit WHERE view_id = $1', [viewId]);
    expect(views).toEqual([{ agent_id: 'agent01', purpose: 'outbound', call_id: 'call-by-id-1', phone_masked: maskPhone(phone) }]);

    // The same viewId for another customer would be a card without its audit row: refused.
    expectApiError(await byCustomer(customers[2]!.id, viewId), 409);
  });

  it('answers 404 for an id the book does not have, and 400 for one no desk could send, storing no view', async () => {
    const before = await api.db.query<{ n: string }>('SELECT count(*) AS n FROM card_view_audit');
    const missing = expectApiError(await byCustomer('CUS9999999', uuidv7()), 404);
    expect(missing.message).toContain('CUS9999999');
    expectApiError(await byCustomer('C'.repeat(65), uuidv7()), 400);
    // A NUL byte cannot reach PostgreSQL text: it was a 500 (found by the route fuzz test).
    expectApiError(await byCustomer('\u0000', uuidv7()), 400);
    expectApiError(await byCustomer('CUS\u0000001', uuidv7()), 400);
    expect(await api.db.query('SELECT count(*) AS n FROM card_view_audit')).toEqual(before);
  });
});
