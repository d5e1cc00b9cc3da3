// Resident ID numbers in the sync feed: in full for store counters and admins, masked for the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncChangesResponse } from '../../shared/contract/central-api';
import { Customer } from '../../shared/contract/entities';
import { maskIdNumber } from '../../shared/domain/masking';
import type { CentralApi } from '../../server/app';
import { maskIdNumberInJson } from '../../server/http/id-number-masking';
import { bearer, login, startTestApi } from './support/test-api';

const CUSTOMERS = 12;
let api: CentralApi;
let clearIdNumbers: Map<string, string>;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: CUSTOMERS });
  const rows = await api.db.query<{ id: string; id_number: string }>('SELECT id, id_number FROM customers WHERE NOT deleted');
  clearIdNumbers = new Map(rows.map((r) => [r.id, r.id_number]));
});
afterAll(() => api?.close());

async function feedAs(username: string) {
  const response = await api.app.inject({ method: 'GET', url: '/sync/changes?limit=5000', headers: bearer(await login(api.app, username)) });
  expect(response.statusCode, response.body).toBe(200);
  const page = SyncChangesResponse.parse(response.json());
  const customers = page.changes.flatMap((c) => (c.op === 'upsert' && c.entity === 'customer' ? [c.data] : []));
  expect(customers).toHaveLength(CUSTOMERS);
  return { customers, body: response.body };
}

describe('ID numbers in GET /sync/changes', () => {
  it.each(['store01', 'admin01'])('serves them in full to %s', async (username) => {
    const { customers } = await feedAs(username);
    for (const c of customers) expect(c.idNumber).toBe(clearIdNumbers.get(c.id));
  });

  it.each(['agent01', 'sup01'])('serves them masked to %s, and the clear number nowhere in the page', async (username) => {
    const { customers, body } = await feedAs(username);
    for (const c of customers) {
      const clear = clearIdNumbers.get(c.id)!;
      expect(c.idNumber).toBe(maskIdNumber(clear));
      expect(c.idNumber).not.toBe(clear);
      expect(body).not.toContain(clear);
    }
  });
});

describe('maskIdNumberInJson', () => {
  const customer = (idNumber: string, name: string) => ({ id: 'C1', name, idNumber });

  it('masks the document’s idNumber as PostgreSQL prints jsonb, keeping its length', () => {
    const text = '{"id": "C1", "name": "王芳", "idNumber": "11010519491231002X", "version": 3}';
    expect(JSON.parse(maskIdNumberInJson(text))).toEqual({ id: 'C1', name: '王芳', idNumber: '1101**********002X', version: 3 });
    expect(Customer.shape.idNumber.safeParse(maskIdNumberInJson(text).match(/"idNumber": "([^"]+)"/)?.[1]).success).toBe(true);
  });

  it('is not fooled by a name that spells out an idNumber field', async () => {
    const [row] = await api.db.query<{ text: string }>('SELECT $1::jsonb::text AS text', [
      JSON.stringify(customer('110105194912310021', 'x", "idNumber": "999999999999999999')),
    ]);
    const masked = JSON.parse(maskIdNumberInJson(row!.text));
    expect(masked.name).toBe('x", "idNumber": "999999999999999999');
    expect(masked.idNumber).toBe('1101**********0021');
  });

  it('refuses a document in which it finds no idNumber rather than pass it through', () => {
    expect(() => maskIdNumberInJson('{"id": "C1", "name": "王芳"}')).toThrow(/without an idNumber/);
  });
});
