// The customer import prepares a batch (its rows checked in Node, plan codes looked up) while the
// batch before it is written: batches still commit in file order, a failed batch stops the import
// before the one prepared behind it is written, and rejects come out in the file's row order.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../server/db/sql-client';
import { CUSTOMERS_HEADER, CUSTOMERS_MAPPING, DRIVERS, PLANS_CSV, PLANS_MAPPING, importFile, migratedDatabase, scratchDir } from './support';

const scratch = scratchDir('clm-import-order-');
afterAll(() => scratch.remove());

let db: SqlClient;
let fileCount = 0;
const customers = (...rows: string[]) => scratch.file(`f${++fileCount}.csv`, `${CUSTOMERS_HEADER}\n${rows.join('\n')}\n`);
const row = (i: number, plan = 'S39') => `K${i},1370000000${i},客户${i},,${plan},20200115,在网,是,,`;
const storedIds = async () => (await db.query<{ id: string }>('SELECT id FROM customers WHERE NOT deleted ORDER BY id')).map((r) => r.id);

describe.each(DRIVERS)('on %s', (driver) => {
  beforeAll(async () => {
    db = await migratedDatabase(driver);
  });
  beforeEach(async () => {
    await db.query('TRUNCATE customers, scores, plans, customer_profiles, customer_extra_phones');
    await importFile(db, scratch.file(`plans${++fileCount}.csv`, PLANS_CSV), PLANS_MAPPING);
  });
  afterAll(() => db?.close());

  it('a failed batch stops the import: the batch prepared behind it is not written, and a re-run finishes the file', async () => {
    const file = customers(...Array.from({ length: 10 }, (_, i) => row(i)));
    let transactions = 0;
    const failing: SqlClient = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      transaction: (fn) => (++transactions === 2 ? Promise.reject(new Error('connection lost')) : db.transaction(fn)),
    };
    await expect(importFile(failing, file, CUSTOMERS_MAPPING, { batchSize: 2 })).rejects.toThrow(/connection lost/);
    expect(await storedIds()).toEqual(['K0', 'K1']);

    const resumed = await importFile(db, file, CUSTOMERS_MAPPING, { batchSize: 2 });
    expect(resumed.summary).toMatchObject({ inserted: 8, unchanged: 2, updated: 0 });
    expect(await storedIds()).toHaveLength(10);
  });

  it("reports each batch's rejects in the file's row order, those found while preparing and while writing alike", async () => {
    await importFile(db, customers(row(9)), CUSTOMERS_MAPPING);
    // Rows 2 and 6 name a plan that does not exist (found while preparing); row 5 takes K9's number (found while writing).
    const file = customers(row(0, 'NOPE'), row(1), row(2), row(3).replace('13700000003', '13700000009'), row(4, 'NOPE'), row(5));
    const { summary, rejections } = await importFile(db, file, CUSTOMERS_MAPPING, { batchSize: 2 });
    expect(rejections.map((r) => [r.row, r.problem.column])).toEqual([
      [2, 'planCode'],
      [5, 'phone'],
      [6, 'planCode'],
    ]);
    expect(summary).toMatchObject({ read: 6, accepted: 3, rejected: 3, inserted: 3 });
  });
});
