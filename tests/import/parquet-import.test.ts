// Parquet exports go through the same mapping, checks, rejects and batches as CSV: typed cells
// (INT64 phone numbers, DOUBLE fees, BOOLEAN consent, DATE and TIMESTAMP columns, nulls) become
// our values whatever text format the mapping names; the file is known by its PAR1 bytes, and a
// cut or broken one is refused before anything is written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../../server/db/sql-client';
import { ImportInputError } from '../../server/import/import-error';
import { openRejectsFile } from '../../server/import/rejects-file';
import { CUSTOMERS_MAPPING, PLANS_CSV, PLANS_MAPPING, clm, customerDocument, importFile, lastJson, migratedDatabase, scratchDir } from './support';

const scratch = scratchDir('clm-import-parquet-');
afterAll(() => scratch.remove());

interface Column {
  name: string;
  type: SchemaElement['type'];
  converted_type?: SchemaElement['converted_type'];
  data: unknown[];
}

/** A Parquet file of nullable columns, `rowsPerGroup` rows to a row group. */
function parquetBytes(columns: Column[], rowsPerGroup = 2): Buffer {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map(({ name, type, converted_type }) => ({ name, type, converted_type, repetition_type: 'OPTIONAL' as const })),
  ];
  return Buffer.from(parquetWriteBuffer({ columnData: columns.map(({ name, data }) => ({ name, data })), schema, rowGroupSize: rowsPerGroup }));
}

const text = (name: string, data: (string | null)[]): Column => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', data });
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Four customers: two good, one with a short phone number, one on an unknown plan. */
const CUSTOMER_COLUMNS: Column[] = [
  text('cust_no', ['C001', 'C002', 'C003', 'C004']),
  { name: 'msisdn', type: 'INT64', data: [13800000001n, 13800000002n, 138n, 13800000004n] },
  text('cust_name', ['张三', null, '王五', '赵六']),
  text('cert_no', ['11010519800101123X', null, null, null]),
  text('plan', ['S39', 'G99', 'S39', 'NOPE']),
  { name: 'open_date', type: 'INT32', converted_type: 'DATE', data: [day('2020-01-15'), day('2024-03-01'), day('2024-03-01'), day('2024-03-01')] },
  text('state', ['在网', '销户', '在网', '在网']),
  { name: 'consent', type: 'BOOLEAN', data: [true, false, true, null] },
  text('region', ['北京', null, null, null]),
  text('other_numbers', ['13900000001', null, null, null]),
  { name: 'fee', type: 'DOUBLE', data: [45.07, null, 39, 10] },
  { name: 'contract_end', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', data: [new Date('2027-06-30T10:00:00Z'), null, null, null] },
];

/**
 * The CSV test mapping, unchanged: its open_date format YYYYMMDD describes text, and a typed DATE
 * column is read as a date regardless; likewise the fee's German number format (45,07).
 */
const MAPPING = {
  ...CUSTOMERS_MAPPING,
  fields: { ...CUSTOMERS_MAPPING.fields, monthlyFee: { column: 'fee', format: 'de' }, contractEnd: { column: 'contract_end', format: 'DD/MM/YYYY' } },
};

let db: SqlClient;
let fileCount = 0;
const parquetFile = (bytes: Buffer, extension = 'parquet') => scratch.file(`f${++fileCount}.${extension}`, bytes);
const maxSeq = async () => (await db.query<{ seq: number | null }>('SELECT max(change_seq) AS seq FROM customers'))[0]?.seq ?? 0;
const liveCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE NOT deleted'))[0]?.n;

beforeAll(async () => {
  db = await migratedDatabase();
});
beforeEach(async () => {
  await db.query('TRUNCATE customers, scores, plans, customer_usage, customer_tickets, customer_profiles, customer_extra_phones, customer_events');
  await importFile(db, scratch.file('plans.csv', PLANS_CSV), PLANS_MAPPING);
});
afterAll(() => db?.close());

describe('importing Parquet', () => {
  it('imports typed columns through the mapping, rejects bad rows with their row numbers, and a second run changes nothing', async () => {
    const file = parquetFile(parquetBytes(CUSTOMER_COLUMNS));
    const { summary, rejections } = await importFile(db, file, MAPPING, { batchSize: 1 });
    expect(summary).toMatchObject({ read: 4, accepted: 2, rejected: 2, inserted: 2, updated: 0 });

    const zhang = (await customerDocument(db, 'C001'))!.data as Customer;
    expect(zhang).toMatchObject({
      name: '张三',
      phone: '13800000001',
      planName: { zh: '畅享39元套餐', en: 'Smart 39' },
      joinDate: '2020-01-15',
      monthlyFee: 45.07,
      contractEnd: '2027-06-30',
      marketingConsent: true,
      status: 'active',
    });
    const li = (await customerDocument(db, 'C002'))!.data as Customer;
    // Null cells are empty cells: the masked number as the name, the plan's fee, no contract.
    expect(li).toMatchObject({
      name: '138****0002',
      phone: '13800000002',
      joinDate: '2024-03-01',
      monthlyFee: 99,
      contractEnd: null,
      status: 'churned',
      marketingConsent: false,
    });
    const extra = await db.query<{ phone: string }>("SELECT phone FROM customer_extra_phones WHERE customer_id = 'C001'");
    expect(extra.map((e) => e.phone)).toEqual(['13900000001']);

    // Row numbers as if the file had a header line: its third row is row 4 (and the fourth, in the second row group, row 5).
    expect(rejections.map((r) => [r.row, r.problem.column, r.problem.value])).toEqual([
      [4, 'msisdn', '138'],
      [5, 'planCode', 'NOPE'],
    ]);
    const rejectsPath = join(scratch.dir, 'rejects.csv');
    const rejects = openRejectsFile(rejectsPath);
    rejects.write(rejections);
    rejects.close();
    const lines = readFileSync(rejectsPath, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,column,value,reason,raw');
    expect(lines[1]).toMatch(/^4,msisdn,138,phone: not a mainland mobile number.*,"?C003,138,王五,,S39,2024-03-01,在网,true,,,39,/);

    const seq = await maxSeq();
    const again = await importFile(db, file, MAPPING);
    expect(again.summary).toMatchObject({ read: 4, accepted: 2, rejected: 2, inserted: 0, updated: 0, unchanged: 2 });
    expect(await maxSeq()).toBe(seq);
  });

  it('knows a Parquet file by its PAR1 bytes, not its name', async () => {
    const { summary } = await importFile(db, parquetFile(parquetBytes(CUSTOMER_COLUMNS), 'dat'), MAPPING);
    expect(summary).toMatchObject({ read: 4, inserted: 2 });
  });

  it('--dry-run counts what would happen and writes nothing; without a database it checks only the rows', async () => {
    const file = parquetFile(parquetBytes(CUSTOMER_COLUMNS));
    const dry = await importFile(db, file, MAPPING, { dryRun: true });
    expect(dry.summary).toMatchObject({ read: 4, accepted: 2, rejected: 2, inserted: 2 });
    expect(await liveCount()).toBe(0);
    const offline = await importFile(null, file, MAPPING, { dryRun: true });
    expect(offline.summary).toMatchObject({ read: 4, accepted: 3, rejected: 1, inserted: 0 });
  });

  it('a cut, broken or misnamed file stops the import with nothing written', async () => {
    await importFile(db, parquetFile(parquetBytes(CUSTOMER_COLUMNS)), MAPPING);
    const seq = await maxSeq();
    const whole = parquetBytes(CUSTOMER_COLUMNS.map((c) => (c.name === 'cust_name' ? text('cust_name', ['张叁', null, '王五', '赵六']) : c)));
    const cut = parquetFile(whole.subarray(0, Math.floor(whole.length * 0.7)));
    await expect(importFile(db, cut, MAPPING)).rejects.toThrow(/Parquet file that does not end with its footer \(cut short\?\)/);
    const PAR1 = Buffer.from('PAR1');
    const broken = parquetFile(Buffer.concat([PAR1, Buffer.alloc(64, 7), PAR1]));
    await expect(importFile(db, broken, MAPPING)).rejects.toThrow(/is not a readable Parquet file/);
    await expect(importFile(db, parquetFile(PAR1), MAPPING)).rejects.toThrow(ImportInputError);
    // A file whose footer is whole but whose row data is damaged fails in the first pass, before any batch.
    const damaged = Buffer.from(whole);
    const footerStart = whole.length - 8 - whole.readUInt32LE(whole.length - 8);
    damaged.fill(0xff, footerStart - 40, footerStart);
    await expect(importFile(db, parquetFile(damaged), MAPPING)).rejects.toThrow(/rows \d+–\d+ cannot be read \(a broken Parquet file\?\)/);
    await expect(importFile(db, scratch.file('csv.parquet', 'cust_no\nC001\n'), MAPPING)).rejects.toThrow(/named \.parquet but is not a Parquet file/);
    expect(await maxSeq()).toBe(seq);
    expect(((await customerDocument(db, 'C001'))!.data as Customer).name).toBe('张三');
  });

  it('a usage month from a DATE column, numbers from INT32 and INT64 columns, a mapped column the file lacks', async () => {
    await importFile(db, parquetFile(parquetBytes(CUSTOMER_COLUMNS)), MAPPING);
    const usage = parquetBytes([
      text('cust', ['C001', 'C002']),
      { name: 'bill_month', type: 'INT32', converted_type: 'DATE', data: [day('2026-10-01'), day('2026-10-31')] },
      { name: 'fee', type: 'INT32', data: [59, 40] },
      { name: 'sms', type: 'INT64', data: [12n, null] },
    ]);
    const mapping = { entity: 'usage', key: 'cust', fields: { month: { column: 'bill_month', format: 'YYYYMM' }, arpu: 'fee', sms: 'sms' } };
    const { summary, rejections } = await importFile(db, parquetFile(usage), mapping);
    expect(rejections).toEqual([]);
    expect(summary).toMatchObject({ read: 2, accepted: 2, inserted: 2 });
    const rows = await db.query<{ customer_id: string; month: string; arpu: number; sms: number }>(
      'SELECT customer_id, month, arpu, sms FROM customer_usage ORDER BY customer_id',
    );
    expect(rows.map((r) => [r.customer_id, r.month, Number(r.arpu), Number(r.sms)])).toEqual([
      ['C001', '2026-10', 59, 12],
      ['C002', '2026-10', 40, 0],
    ]);
    await expect(importFile(db, parquetFile(usage), { ...mapping, fields: { ...mapping.fields, arpu: 'arpu' } })).rejects.toThrow(
      /reads column "arpu", which the file does not have/,
    );
  });
});

describe('clm import with a Parquet file', () => {
  const mapping = scratch.file('customers.json', JSON.stringify(MAPPING));

  it('--dry-run checks the rows; a cut file exits 2 with one line on stderr', () => {
    const bytes = parquetBytes(CUSTOMER_COLUMNS);
    const dry = clm('import', 'customers', '--data', parquetFile(bytes), '--mapping', mapping, '--dry-run', '--json');
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/rejected row 4, column msisdn: phone: not a mainland mobile number/);
    expect(lastJson(dry.stdout)).toMatchObject({ read: 4, accepted: 3, rejected: 1 });
    const cut = clm('import', 'customers', '--data', parquetFile(bytes.subarray(0, bytes.length - 10)), '--mapping', mapping, '--dry-run');
    expect(cut.code).toBe(2);
    expect(cut.stderr.split('\n')).toHaveLength(1);
    expect(cut.stderr).toMatch(/cut short/);
  }, 60_000);
});
