// What the customer import keeps of the book when it decides and writes a batch in SQL: what the
// file does not carry (usage series, ticket counts, a closing date not on file), which rows take a
// change seq, and a deleted customer coming back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../../server/db/sql-client';
import { deleteSyncedRow, upsertCustomers } from '../../server/sync/change-log';
import { CUSTOMERS_HEADER, CUSTOMERS_MAPPING, DRIVERS, PLANS_CSV, PLANS_MAPPING, customerDocument, importFile, migratedDatabase, scratchDir } from './support';

const scratch = scratchDir('clm-import-batch-');
afterAll(() => scratch.remove());

let db: SqlClient;
let fileCount = 0;
const customers = (...rows: string[]) => scratch.file(`f${++fileCount}.csv`, `${CUSTOMERS_HEADER}\n${rows.join('\n')}\n`);
const seqs = async () => new Map((await db.query<{ id: string; change_seq: number }>('SELECT id, change_seq FROM customers')).map((r) => [r.id, r.change_seq]));

const ACTIVE = 'C001,13800000001,张三,11010519800101123X,S39,20200115,在网,是,北京,';
const CLOSED = 'C002,13800000002,李四,,G99,20240301,销户,否,,';
const OTHER = 'C003,13800000003,王五,,S39,20230101,在网,否,,';

describe.each(DRIVERS)('on %s', (driver) => {
  beforeAll(async () => {
    db = await migratedDatabase(driver);
  });
  beforeEach(async () => {
    await db.query('TRUNCATE customers, scores, plans, customer_profiles, customer_extra_phones');
    await importFile(db, scratch.file(`plans${++fileCount}.csv`, PLANS_CSV), PLANS_MAPPING);
  });
  afterAll(() => db?.close());

  it('keeps what the file does not carry: usage series, ticket counts and a closing date not on file', async () => {
    await importFile(db, customers(ACTIVE, CLOSED), CUSTOMERS_MAPPING);
    const stored = (await customerDocument(db, 'C002'))!.data as Customer;
    const year = Array.from({ length: 12 }, (_, i) => i + 0.5);
    await db.transaction((tx) =>
      upsertCustomers(tx, [
        { ...stored, churnDate: '2026-03-31', arpu: year, dataUsageGb: year, voiceMinutes: year, complaints30d: 1, complaints90d: 2, networkIssues90d: 3 },
      ]),
    );

    const { summary } = await importFile(db, customers(ACTIVE, CLOSED.replace('李四', '李肆')), CUSTOMERS_MAPPING);
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(await customerDocument(db, 'C002')).toMatchObject({
      version: 3,
      data: {
        name: '李肆',
        status: 'churned',
        churnDate: '2026-03-31',
        arpu: year,
        voiceMinutes: year,
        complaints30d: 1,
        complaints90d: 2,
        networkIssues90d: 3,
        version: 3,
      },
    });

    // Back in service: an active customer has no closing date.
    await importFile(db, customers(CLOSED.replace('销户', '在网')), CUSTOMERS_MAPPING);
    expect(await customerDocument(db, 'C002')).toMatchObject({ version: 4, data: { status: 'active', churnDate: null, arpu: year } });
  });

  it('gives a change seq to the changed and new rows only, each its own', async () => {
    await importFile(db, customers(ACTIVE, CLOSED), CUSTOMERS_MAPPING);
    const before = await seqs();
    const { summary } = await importFile(db, customers(ACTIVE.replace('张三', '张叁'), CLOSED, OTHER), CUSTOMERS_MAPPING);
    expect(summary).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    const after = await seqs();
    expect(after.get('C002')).toBe(before.get('C002'));
    const newSeqs = [after.get('C001')!, after.get('C003')!];
    expect(Math.min(...newSeqs)).toBeGreaterThan(Math.max(...before.values()));
    expect(new Set(newSeqs).size).toBe(2);
  });

  it('brings a deleted customer back as a new version of its tombstone, with nothing of the old document', async () => {
    await importFile(db, customers(ACTIVE), CUSTOMERS_MAPPING);
    const stored = (await customerDocument(db, 'C001'))!.data as Customer;
    await db.transaction((tx) => upsertCustomers(tx, [{ ...stored, complaints30d: 4 }]));
    await db.transaction((tx) => deleteSyncedRow(tx, 'customer', 'C001'));

    const { summary } = await importFile(db, customers(ACTIVE), CUSTOMERS_MAPPING);
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await customerDocument(db, 'C001')).toMatchObject({ deleted: false, version: 4, data: { name: '张三', complaints30d: 0, version: 4 } });
  });
});
