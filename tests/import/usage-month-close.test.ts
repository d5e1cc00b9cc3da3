// `clm import usage` for a month close: the bills become usage rows (one compact synced row per
// billed customer, the 12 months ending with the book's latest month), never a new customer
// version; a re-run of the same file writes nothing at all; a dry run writes nothing; the window
// the scorer reads in SQL is the one the desk computes in TypeScript.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withUsage } from '../../shared/analytics/usage-window';
import type { Customer, CustomerUsage } from '../../shared/contract/entities';
import type { SqlClient } from '../../server/db/sql-client';
import { CUSTOMER_WITH_USAGE_SQL, USAGE_WINDOW_JOIN } from '../../server/sync/usage-windows';
import { CUSTOMERS_HEADER, CUSTOMERS_MAPPING, DRIVERS, PLANS_CSV, PLANS_MAPPING, importFile, migratedDatabase, scratchDir } from './support';

const scratch = scratchDir('clm-usage-close-');
afterAll(() => scratch.remove());

const USAGE_MAPPING = {
  entity: 'usage',
  key: 'cust',
  fields: { month: { column: 'ym', format: 'YYYYMM' }, arpu: 'fee', dataGb: 'gb', voiceMinutes: 'min', sms: 'sms' },
};
const IDS = ['C001', 'C002', 'C003'];
const CUSTOMERS = IDS.map((id, i) => `${id},1380000000${i + 1},客户${i + 1},,S39,20200115,在网,是,北京,`);
let files = 0;
const csv = (text: string) => scratch.file(`f${++files}.csv`, text);
const bills = (month: string, ids: readonly string[], arpu = (i: number) => 50 + i) =>
  csv(`cust,ym,fee,gb,min,sms\n${ids.map((id, i) => `${id},${month},${arpu(i)},${i + 1}.5,${100 * (i + 1)},${i}`).join('\n')}\n`);

describe.each(DRIVERS)('on %s', (driver) => {
  let db: SqlClient;
  const seqOf = async (table: string) => Number((await db.query<{ seq: number | null }>(`SELECT max(change_seq) AS seq FROM ${table}`))[0]?.seq ?? 0);
  const customerVersions = async () => db.query<{ id: string; version: number }>('SELECT id, version FROM customers ORDER BY id');
  const usageRows = async () =>
    (await db.query<{ data: CustomerUsage }>('SELECT data FROM customer_usage_windows WHERE NOT deleted ORDER BY customer_id')).map((r) => r.data);

  beforeAll(async () => {
    db = await migratedDatabase(driver);
  });
  beforeEach(async () => {
    await db.query('TRUNCATE customers, scores, plans, customer_usage, customer_usage_windows, customer_profiles, customer_extra_phones');
    await importFile(db, csv(PLANS_CSV), PLANS_MAPPING);
    await importFile(db, csv(`${CUSTOMERS_HEADER}\n${CUSTOMERS.join('\n')}\n`), CUSTOMERS_MAPPING);
  });
  afterAll(() => db?.close());

  it('writes one usage row per billed customer and no customer version; the window ends with the latest month', async () => {
    const versions = await customerVersions();
    const customersSeq = await seqOf('customers');
    await importFile(db, bills('202608', IDS), USAGE_MAPPING);
    const { summary } = await importFile(
      db,
      bills('202609', IDS.slice(0, 2), (i) => 60 + i),
      USAGE_MAPPING,
    );
    expect(summary).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, republished: 0 });
    expect(await customerVersions()).toEqual(versions);
    expect(await seqOf('customers')).toBe(customersSeq);
    const rows = await usageRows();
    expect(rows.map((u) => [u.customerId, u.version, u.endMonth, u.arpu.slice(-2), u.sms.slice(-2)])).toEqual([
      ['C001', 2, '2026-09', [50, 60], [0, 0]],
      ['C002', 2, '2026-09', [51, 61], [1, 1]],
      // Not billed this month: its row stays as it was (the next bill moves its window).
      ['C003', 1, '2026-08', [0, 52], [0, 2]],
    ]);
    expect(rows[0]).toMatchObject({ dataGb: [...Array(10).fill(0), 1.5, 1.5], voiceMinutes: [...Array(10).fill(0), 100, 100] });
  });

  it('a re-import of the same month changes nothing: no row, no seq in any synced table', async () => {
    const file = bills('202609', IDS);
    await importFile(db, file, USAGE_MAPPING);
    const tables = ['customers', 'scores', 'customer_usage_windows'];
    const seqs = await Promise.all(tables.map(seqOf));
    const rows = await usageRows();
    const { summary } = await importFile(db, file, USAGE_MAPPING);
    expect(summary).toMatchObject({ read: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(await Promise.all(tables.map(seqOf))).toEqual(seqs);
    expect(await usageRows()).toEqual(rows);
  });

  it('a corrected bill re-versions that customer’s usage row only; a dry run writes nothing', async () => {
    await importFile(db, bills('202609', IDS), USAGE_MAPPING);
    const dry = await importFile(
      db,
      bills('202609', IDS, () => 1),
      USAGE_MAPPING,
      { dryRun: true },
    );
    expect(dry.summary).toMatchObject({ updated: 3 });
    expect((await usageRows()).map((u) => u.version)).toEqual([1, 1, 1]);
    const { summary } = await importFile(db, csv('cust,ym,fee,gb,min,sms\nC002,202609,99,2.5,200,1\n'), USAGE_MAPPING);
    expect(summary).toMatchObject({ updated: 1 });
    expect((await usageRows()).map((u) => [u.customerId, u.version, u.arpu.at(-1)])).toEqual([
      ['C001', 1, 50],
      ['C002', 2, 99],
      ['C003', 1, 52],
    ]);
  });

  it('the series the scorer reads in SQL are the ones the desk computes with withUsage', async () => {
    await importFile(db, bills('202609', IDS.slice(0, 2)), USAGE_MAPPING);
    const rows = await db.query<{ id: string; raw: Customer; overlaid: Customer; usage: CustomerUsage | null }>(
      `SELECT c.id, c.data AS raw, ${CUSTOMER_WITH_USAGE_SQL} AS overlaid, u.data AS usage FROM customers c ${USAGE_WINDOW_JOIN} ORDER BY c.id`,
    );
    for (const row of rows) expect(row.overlaid, row.id).toEqual(withUsage(row.raw, row.usage));
    expect(rows.map((r) => r.overlaid.arpu.at(-1))).toEqual([50, 51, 0]);
  });
});
