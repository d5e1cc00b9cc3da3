// Subject-access export and erasure of one customer, on the seeded demo book plus rows about two
// customers in every table that can hold them: the export holds the one customer's rows and no
// other's; the erasure leaves its numbers, name, ID number and notes in no column of any table,
// tombstones it in the desks' change feed, keeps the reports' counts, and runs once.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../shared/contract/entities';
import type { CentralApi } from '../../server/app';
import { describeErasure } from '../../server/cli/privacy-command';
import type { SqlClient } from '../../server/db/sql-client';
import { recordOutcomeBatch } from '../../server/outcomes/record-batch';
import { exportCustomer, type CustomerExport } from '../../server/privacy/customer-export';
import { UnknownCustomerError } from '../../server/privacy/customer-records';
import { eraseCustomer } from '../../server/privacy/erase-customer';
import { outcomeReportJson } from '../../server/reports/outcome-report';
import { reportPeriod, type ReportPeriod } from '../../server/reports/report-period';
import { DEFAULT_EXPECTED_MONTHS_KEPT } from '../../server/reports/report-settings';
import { retentionReport } from '../../server/reports/retention-report';
import { readChangesPage } from '../../server/sync/changes-page';
import { upsertContactHistories, upsertCustomers } from '../../server/sync/change-log';
import { outcomeItem, startTestApi } from '../server/support/test-api';

const RECORDED_AT = '2026-03-10T02:00:00.000Z';
const NOW = new Date('2026-03-20T00:00:00.000Z');

interface Subject {
  customer: Customer;
  extraPhone: string;
  note: string;
}

let api: CentralApi;
let db: SqlClient;
let subject: Subject;
let other: Subject;
let workDir: string;
let clientSeq = 0;

/** Rows about `who` in every table that can hold them, beyond what the demo seed wrote. */
async function addRecordsAbout(who: Subject): Promise<void> {
  const { customer, extraPhone, note } = who;
  await db.query('INSERT INTO customer_extra_phones (phone, customer_id) VALUES ($1, $2)', [extraPhone, customer.id]);
  await db.query(`INSERT INTO customer_profiles (customer_id, region) VALUES ($1, 'north') ON CONFLICT (customer_id) DO UPDATE SET region = 'north'`, [
    customer.id,
  ]);
  await db.query(`INSERT INTO customer_usage (customer_id, month, arpu, data_gb, voice_minutes, sms) VALUES ($1, '1999-01', 58, 3.5, 120, 4)`, [customer.id]);
  await db.query(`INSERT INTO customer_tickets (ticket_id, customer_id, opened_on, category) VALUES ($1, $2, '2026-03-01', 'complaint')`, [
    `T-${customer.id}`,
    customer.id,
  ]);
  const outcomes = [
    { ...outcomeItem('desk-privacy', ++clientSeq, { customerId: customer.id, phone: customer.phone, note }), recordedAt: RECORDED_AT },
    // A call from the extra number the desk did not match to the customer.
    {
      ...outcomeItem('desk-privacy', ++clientSeq, { customerId: null, phone: extraPhone, note, result: 'not_presented', offerId: null }),
      recordedAt: RECORDED_AT,
    },
  ];
  const stored = await recordOutcomeBatch(db, { deviceId: 'desk-privacy', items: outcomes }, 'agent01');
  expect(stored.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  // Written directly: the recorder keeps only contacts of the last 90 days by the wall clock.
  const contact = {
    outcomeId: outcomes[0]?.outcomeId ?? '',
    offerId: null,
    result: 'not_presented' as const,
    channel: 'hotline' as const,
    agentId: 'agent01',
    at: RECORDED_AT,
  };
  await db.transaction((tx) => upsertContactHistories(tx, [{ customerId: customer.id, version: 1, contacts: [contact] }]));
  for (const ani of [customer.phone, extraPhone])
    await db.query(`INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ($1, $2, 'agent01', 'offered', $3)`, [
      `call-${customer.id}-${ani === extraPhone ? 'extra' : 'main'}`,
      ani,
      RECORDED_AT,
    ]);
  await db.query(
    `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at)
     VALUES ('privacy-test-programme', $1, 'control', NULL, 0.1, $2)`,
    [customer.id, RECORDED_AT],
  );
  const eventId = uuidv7();
  await db.query(
    `INSERT INTO customer_events (event_id, device_id, agent_id, customer_id, kind, recorded_at, applied_at_seq, payload)
     VALUES ($1, 'desk-privacy', 'agent01', $2, 'complaint', $3, 0, $4::jsonb)`,
    [
      eventId,
      customer.id,
      RECORDED_AT,
      JSON.stringify({
        eventId,
        deviceId: 'desk-privacy',
        agentId: 'agent01',
        recordedAt: RECORDED_AT,
        draft: { customerId: customer.id, callId: null, kind: 'complaint', note },
      }),
    ],
  );
  await db.query(
    `INSERT INTO card_view_audit (view_id, agent_id, customer_id, phone_masked, purpose, call_id, viewed_at, device_id)
     VALUES ($1, 'agent01', $2, $3, 'inbound_call', NULL, $4, 'desk-privacy')`,
    [uuidv7(), customer.id, `${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`, RECORDED_AT],
  );
  await db.query(
    `INSERT INTO interaction_discards (discard_id, interaction_id, agent_id, customer_id, call_id, phone_masked, state, opened_at, reason, draft, discarded_at, device_id)
     VALUES ($1, $2, 'agent01', $3, NULL, $4, 'open', $5, 'wrong_number', $6::jsonb, $5, 'desk-privacy')`,
    [
      uuidv7(),
      uuidv7(),
      customer.id,
      `${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`,
      RECORDED_AT,
      JSON.stringify({ result: null, note, callbackAt: '', declineReason: null, notPresentedReason: null, chosenOfferId: null }),
    ],
  );
}

/** Every (table, column) of text or JSON whose text contains `value`. */
async function columnsHolding(value: string): Promise<string[]> {
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
     ORDER BY table_name, column_name`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [hit] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`, [value]);
    if (hit && hit.n > 0) found.push(`${table}.${column}`);
  }
  return found;
}

const personalValues = (who: Subject) => [who.customer.phone, who.extraPhone, who.customer.name, who.customer.idNumber, who.note];

function period(): ReportPeriod {
  const made = reportPeriod({ from: '2026-03-01', to: '2026-03-31' });
  if ('refused' in made) throw new Error(made.refused);
  return made;
}

async function reportCounts() {
  const request = { period: period(), team: null, expectedMonthsKept: DEFAULT_EXPECTED_MONTHS_KEPT, now: NOW };
  const report = await retentionReport(db, request);
  const rows = JSON.parse(await outcomeReportJson(db, request)) as { rows: { outcomeId: string; result: string; customerId: string | null }[] };
  const { presentationRate, acceptanceRate, contacts, atRiskContacted } = report.kpis;
  return {
    presentationRate,
    acceptanceRate,
    contacts,
    atRiskContacted,
    trend: report.trend,
    rows: rows.rows.map((r) => [r.outcomeId, r.result, r.customerId]),
  };
}

beforeAll(async () => {
  api = await startTestApi();
  db = api.db;
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clm-privacy-'));
  const [first, second] = (await db.query<{ data: unknown }>('SELECT data FROM customers WHERE NOT deleted ORDER BY id LIMIT 2')).map((r) =>
    Customer.parse(r.data),
  );
  if (!first || !second) throw new Error('the demo book has fewer than two customers');
  // Names and ID numbers no other customer has, so a scan for them finds only this customer's traces.
  subject = { customer: { ...first, name: '隐私测试甲', idNumber: '990101199901011234' }, extraPhone: '19900000001', note: '甲说晚上六点后再打 A-note' };
  other = { customer: { ...second, name: '隐私测试乙', idNumber: '990101199901015678' }, extraPhone: '19900000002', note: '乙要家庭套餐 B-note' };
  await db.transaction((tx) => upsertCustomers(tx, [subject.customer, other.customer]));
  await addRecordsAbout(subject);
  await addRecordsAbout(other);
});

afterAll(async () => {
  await api?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('subject-access export', () => {
  let exported: CustomerExport;
  let text: string;

  beforeAll(async () => {
    const file = path.join(workDir, 'subject.json');
    await exportCustomer(db, subject.customer.id, file, NOW);
    text = await readFile(file, 'utf8');
    exported = JSON.parse(text) as CustomerExport;
  });

  it("holds the customer's rows from every table that has them", () => {
    expect(exported.customerId).toBe(subject.customer.id);
    expect(exported.phones).toEqual([subject.customer.phone, subject.extraPhone].sort());
    const sizes = Object.fromEntries(Object.entries(exported.tables).map(([table, rows]) => [table, rows.length]));
    for (const table of [
      'customers',
      'scores',
      'contact_history',
      'customer_profiles',
      'customer_extra_phones',
      'customer_usage',
      'customer_tickets',
      'customer_events',
      'card_view_audit',
      'interaction_discards',
      'programme_assignments',
    ])
      expect(sizes[table], table).toBeGreaterThanOrEqual(1);
    expect(sizes.outcomes).toBeGreaterThanOrEqual(2);
    expect(sizes.cti_calls).toBeGreaterThanOrEqual(2);
    expect(text).toContain(subject.customer.name);
    expect(text).toContain(subject.note);
    const calls = exported.tables.cti_calls as { ani: string }[];
    expect(calls.every((c) => exported.phones.includes(c.ani))).toBe(true);
  });

  it("holds none of another customer's rows", () => {
    for (const value of [...personalValues(other), other.customer.id]) expect(text).not.toContain(value);
  });

  it('is written atomically: no temp file is left, and an unknown id writes nothing', async () => {
    await expect(exportCustomer(db, 'CUS-NOBODY', path.join(workDir, 'nobody.json'), NOW)).rejects.toBeInstanceOf(UnknownCustomerError);
    expect(await readdir(workDir)).toEqual(['subject.json']);
  });
});

describe('erasure', () => {
  let before: Awaited<ReturnType<typeof reportCounts>>;
  let cursor: number;

  beforeAll(async () => {
    expect((await columnsHolding(subject.customer.phone)).length).toBeGreaterThan(0);
    before = await reportCounts();
    const [seq] = await db.query<{ last_value: number }>('SELECT last_value FROM sync_change_seq');
    cursor = seq?.last_value ?? 0;
    const result = await eraseCustomer(db, { customerId: subject.customer.id, erasedBy: 'dpo01', reason: 'erasure request 2026-017', now: NOW });
    expect(result.status).toBe('erased');
  });

  it("leaves the customer's numbers, name, ID number and notes in no column of any table", async () => {
    for (const value of personalValues(subject)) expect(await columnsHolding(value), value).toEqual([]);
    const masked = await db.query(
      `SELECT 1 FROM card_view_audit WHERE customer_id = $1 AND phone_masked IS NOT NULL
      UNION ALL SELECT 1 FROM interaction_discards WHERE customer_id = $1 AND phone_masked IS NOT NULL`,
      [subject.customer.id],
    );
    expect(masked).toEqual([]);
  });

  it("leaves another customer's data as it was", async () => {
    for (const value of personalValues(other)) expect(await columnsHolding(value), value).not.toEqual([]);
    const [row] = await db.query<{ deleted: boolean }>('SELECT deleted FROM customers WHERE id = $1', [other.customer.id]);
    expect(row?.deleted).toBe(false);
  });

  it("sends desks the customer's tombstones through the change feed", async () => {
    const page = await readChangesPage(db, cursor, 100);
    const deletes = page.changes.filter((c) => c.id === subject.customer.id).map((c) => [c.entity, c.op]);
    expect(deletes).toEqual(
      expect.arrayContaining([
        ['customer', 'delete'],
        ['score', 'delete'],
        ['contact_history', 'delete'],
      ]),
    );
    expect(page.changes.every((c) => c.op === 'delete' && c.id === subject.customer.id)).toBe(true);
  });

  it("keeps the reports' counts", async () => {
    expect(await reportCounts()).toEqual(before);
  });

  it('records who erased whom, when and why, with nothing personal', async () => {
    const rows = await db.query<{ customer_id: string; erased_by: string; reason: string; erased_at: Date }>(
      'SELECT customer_id, erased_by, reason, erased_at FROM privacy_erasures',
    );
    expect(rows).toEqual([{ customer_id: subject.customer.id, erased_by: 'dpo01', reason: 'erasure request 2026-017', erased_at: NOW }]);
  });

  it('a second request is a no-op that says so', async () => {
    const [seq] = await db.query<{ last_value: number }>('SELECT last_value FROM sync_change_seq');
    const again = await eraseCustomer(db, { customerId: subject.customer.id, erasedBy: 'dpo02', reason: 'again', now: new Date(NOW.getTime() + 1000) });
    expect(again).toEqual({ status: 'already_erased', customerId: subject.customer.id, erasedAt: NOW.toISOString(), erasedBy: 'dpo01' });
    expect(describeErasure(again)).toMatch(/already erased .* nothing to do$/);
    const [after] = await db.query<{ last_value: number }>('SELECT last_value FROM sync_change_seq');
    expect(after?.last_value).toBe(seq?.last_value);
  });

  it('refuses an unknown id and changes nothing', async () => {
    await expect(eraseCustomer(db, { customerId: 'CUS-NOBODY', erasedBy: 'dpo01', reason: 'x', now: NOW })).rejects.toBeInstanceOf(UnknownCustomerError);
    expect(await db.query('SELECT 1 FROM privacy_erasures WHERE customer_id = $1', ['CUS-NOBODY'])).toEqual([]);
  });
});
