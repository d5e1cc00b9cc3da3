// A month close on a desk, against the real central API (PGlite): the month's bills reach the desk
// as usage rows (one compact row per billed customer) and no customer document changes version;
// the card computes ARPU, value and trends exactly as it did when the import re-published the
// customer document with the derived window; a re-import of the same month sends nothing; an
// erased customer's usage row leaves the desk with them.
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCard, SyncStatus } from '../../shared/contract/desk-api';
import type { Customer, CustomerUsage } from '../../shared/contract/entities';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import type { CentralApi } from '../../server/app';
import { withUsageWindow, type UsageMonth } from '../../server/import/usage-window';
import { eraseCustomer } from '../../server/privacy/erase-customer';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { deleteSyncedRow } from '../../server/sync/change-log';
import { TEST_NOW } from '../support/test-clock';
import { startTestApi } from '../server/support/test-api';
import { useTempDir } from '../db/support/temp-dir';
import { importFile, scratchDir } from '../import/support';
import { startBackend, type BackendHarness } from './support/backend-harness';

const temp = useTempDir();
const scratch = scratchDir('clm-usage-desk-');
let api: CentralApi;
let apiUrl: string;
const harnesses: BackendHarness[] = [];

const USAGE_MAPPING = {
  entity: 'usage',
  key: 'cust',
  fields: { month: { column: 'ym', format: 'YYYYMM' }, arpu: 'fee', dataGb: 'gb', voiceMinutes: 'min', sms: 'sms' },
};
const AS_OF = TEST_NOW.toISOString().slice(0, 10);
let files = 0;

interface Bill extends UsageMonth {
  customerId: string;
  sms: number;
}
const importBills = (bills: readonly Bill[]) =>
  importFile(
    api.db,
    scratch.file(
      `bills-${++files}.csv`,
      `cust,ym,fee,gb,min,sms\n${bills.map((b) => [b.customerId, b.month.replace('-', ''), b.arpu, b.dataGb, b.voiceMinutes, b.sms].join(',')).join('\n')}\n`,
    ),
    USAGE_MAPPING,
    { asOf: AS_OF },
  );

/** Twelve months from 2025-10 to 2026-09, and the month that closes next. */
const YEAR = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2025, 9 + i, 1)).toISOString().slice(0, 7));
const CLOSING = '2026-10';
// A falls from 120 to 40 yuan over the year and uses less; B is steady.
const billOf = (customerId: string, month: string, i: number, falling: boolean): Bill =>
  falling
    ? { customerId, month, arpu: 120 - 7 * i, dataGb: Math.max(0, 30 - 2.5 * i), voiceMinutes: 600 - 40 * i, sms: 10 }
    : { customerId, month, arpu: 59, dataGb: 20, voiceMinutes: 300, sms: 5 };

let a: { id: string; phone: string };
let b: { id: string; phone: string };
const billsOf = new Map<string, Bill[]>();

beforeAll(async () => {
  api = await startTestApi();
  const [first, second] = await api.db.query<{ id: string; phone: string }>('SELECT id, phone FROM customers WHERE NOT deleted ORDER BY id LIMIT 2');
  a = first!;
  b = second!;
  // Without a score, the card assesses A from the usage window itself (value, ARPU, trend reasons).
  await api.db.transaction((tx) => deleteSyncedRow(tx, 'score', a.id));
  const year = YEAR.flatMap((month, i) => [billOf(a.id, month, i, true), billOf(b.id, month, i, false)]);
  for (const bill of year) billsOf.set(bill.customerId, [...(billsOf.get(bill.customerId) ?? []), bill]);
  await importBills(year);
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const h of harnesses) await h.backend.close();
  await api?.close();
  scratch.remove();
});

async function desk(username: string) {
  const cachePath = temp.path();
  const h = startBackend({ cachePath, apiUrl, now: () => TEST_NOW });
  harnesses.push(h);
  await h.call('session/login', { username, password: DEMO_PASSWORD });
  const read = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(cachePath, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  return { h, read, sync: () => h.call<SyncStatus>('sync/now') };
}

const maxSeq = async (table: string) => Number((await api.db.query<{ seq: number | null }>(`SELECT max(change_seq) AS seq FROM ${table}`))[0]?.seq ?? 0);

/** The card as the desk showed it before usage rows: the import re-published the document with the derived window. */
async function cardFromRepublishedDocument(customerId: string, phone: string, end: string): Promise<CustomerCard> {
  const [row] = await api.db.query<{ data: Customer; score: CustomerCard['assessment'] | null }>('SELECT data FROM customers WHERE id = $1', [customerId]);
  const [score] = await api.db.query<{ data: never }>('SELECT data FROM scores WHERE customer_id = $1 AND NOT deleted', [customerId]);
  return buildCustomerCard({
    phone,
    customer: withUsageWindow(row!.data, billsOf.get(customerId)!, end),
    score: score?.data ?? null,
    offers: [],
    offerStats: new Map(),
    contactHistory: null,
    recentOutcomes: [],
    channel: 'hotline',
    explorationSeed: 'seed',
    now: TEST_NOW,
  });
}

describe('a month close on a desk', () => {
  it('arrives as one usage row per billed customer, no customer version, and the card computes as from the re-published document', async () => {
    const { h, read, sync } = await desk('agent01');
    await sync();
    const versionsBefore = read<{ id: string; version: number }>('SELECT id, version FROM customers ORDER BY id');
    expect(read<{ n: number }>('SELECT count(*) AS n FROM usage')[0]!.n).toBe(2);

    const customersSeq = await maxSeq('customers');
    const closing = [billOf(a.id, CLOSING, 12, true), billOf(b.id, CLOSING, 12, false)];
    for (const bill of closing) billsOf.get(bill.customerId)!.push(bill);
    const { summary } = await importBills(closing);
    expect(summary).toMatchObject({ inserted: 2, republished: 0 });
    expect(await maxSeq('customers')).toBe(customersSeq);

    const cursorBefore = (await h.call<SyncStatus>('sync/status')).cursor;
    const status = await sync();
    expect(status.cursor).toBeGreaterThan(cursorBefore);
    expect(read<{ id: string; version: number }>('SELECT id, version FROM customers ORDER BY id')).toEqual(versionsBefore);
    const usage = read<{ data: string }>('SELECT data FROM usage ORDER BY customer_id').map((r) => JSON.parse(r.data) as CustomerUsage);
    expect(usage.map((u) => [u.customerId, u.endMonth, u.arpu.at(-1)])).toEqual([
      [a.id, CLOSING, 120 - 7 * 12],
      [b.id, CLOSING, 59],
    ]);

    for (const { id, phone } of [a, b]) {
      const shown = await h.call<CustomerCard>('card/byPhone', { phone, callId: `call-${id}`, purpose: 'call' });
      const before = await cardFromRepublishedDocument(id, phone, CLOSING);
      expect(shown.assessment, id).toEqual(before.assessment);
      expect(shown.customer, id).toEqual(before.customer);
    }
    // A's falling spend shows: the window, not the document's own series, is what the card read.
    const shownA = await h.call<CustomerCard>('card/byPhone', { phone: a.phone, callId: 'call-a-2', purpose: 'call' });
    expect(shownA.assessment.arpu3m).toBeCloseTo((120 - 7 * 10 + 120 - 7 * 11 + 120 - 7 * 12) / 3, 2);
  });

  it('a re-import of the same month changes nothing: no seq anywhere, nothing for the desk to apply', async () => {
    const { h, sync } = await desk('agent02');
    await sync();
    const seqs = await Promise.all(['customers', 'scores', 'customer_usage_windows'].map(maxSeq));
    const { summary } = await importBills([billOf(a.id, CLOSING, 12, true), billOf(b.id, CLOSING, 12, false)]);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await Promise.all(['customers', 'scores', 'customer_usage_windows'].map(maxSeq))).toEqual(seqs);
    const cursor = (await h.call<SyncStatus>('sync/status')).cursor;
    expect((await sync()).cursor).toBe(cursor);
  });

  it('erasing a customer takes their usage row off the desk, and the server keeps only a tombstone', async () => {
    const { read, sync } = await desk('agent03');
    await sync();
    expect(read<{ customer_id: string }>('SELECT customer_id FROM usage ORDER BY customer_id').map((r) => r.customer_id)).toEqual([a.id, b.id]);
    await eraseCustomer(api.db, { customerId: a.id, erasedBy: 'dpo', reason: 'subject request', now: TEST_NOW });
    await sync();
    expect(read<{ customer_id: string }>('SELECT customer_id FROM usage ORDER BY customer_id').map((r) => r.customer_id)).toEqual([b.id]);
    const [tombstone] = await api.db.query<{ deleted: boolean; data: object }>('SELECT deleted, data FROM customer_usage_windows WHERE customer_id = $1', [
      a.id,
    ]);
    expect(tombstone).toEqual({ deleted: true, data: { customerId: a.id } });
    expect(await api.db.query('SELECT 1 FROM customer_usage WHERE customer_id = $1', [a.id])).toEqual([]);
  });
});
