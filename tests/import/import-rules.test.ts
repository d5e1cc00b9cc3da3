// What the import does with the operator's files, good and bad: encodings and delimiters,
// mapping mistakes caught before a row is read, bad rows rejected whole with the spreadsheet's
// row number, keys and numbers that repeat, cut files, --full snapshots, dry runs and resumes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Customer, CustomerUsage } from '../../shared/contract/entities';
import type { SqlClient } from '../../server/db/sql-client';
import { ImportInputError } from '../../server/import/import-error';
import { NO_ID_NUMBER } from '../../server/import/import-customers';
import { compileMapping } from '../../server/import/mapping';
import { openRejectsFile } from '../../server/import/rejects-file';
import {
  AS_OF,
  DRIVERS,
  CUSTOMERS_HEADER,
  CUSTOMERS_MAPPING,
  PLANS_CSV,
  PLANS_MAPPING,
  customerDocument,
  importFile,
  migratedDatabase,
  scratchDir,
} from './support';

const scratch = scratchDir('clm-import-rules-');
afterAll(() => scratch.remove());

let db: SqlClient;
let fileCount = 0;
const csv = (text: string | Buffer) => scratch.file(`f${++fileCount}.csv`, text);
const customers = (...rows: string[]) => csv(`${CUSTOMERS_HEADER}\n${rows.join('\n')}\n`);
const maxSeq = async () => (await db.query<{ seq: number | null }>('SELECT max(change_seq) AS seq FROM customers'))[0]?.seq ?? 0;
const usageRow = async (id: string) =>
  (await db.query<{ data: CustomerUsage }>('SELECT data FROM customer_usage_windows WHERE customer_id = $1', [id]))[0]!.data;
const liveCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE NOT deleted'))[0]?.n;

const ROW_1 = 'C001,13800000001,张三,11010519800101123X,S39,20200115,在网,是,北京,13900000001';
const ROW_2 = 'C002,13800000002,李四,,G99,20240301,在网,否,上海,';

describe.each(DRIVERS)('on %s', (driver) => {
  beforeAll(async () => {
    db = await migratedDatabase(driver);
  });
  // Each test starts from an empty book with the two plans.
  beforeEach(async () => {
    await db.query(
      'TRUNCATE customers, scores, plans, customer_usage, customer_usage_windows, customer_tickets, customer_profiles, customer_extra_phones, customer_events',
    );
    await importFile(db, csv(PLANS_CSV), PLANS_MAPPING);
  });
  afterAll(() => db?.close());

  describe('reading the file', () => {
    it('reads a GBK file with ; delimiters and a quoted header, and fills defaults', async () => {
      const text =
        `"cust_no";"msisdn";"cust_name";"cert_no";"plan";"open_date";"state";"consent";"region";"other_numbers"\n` +
        'C001;+86 138 0000 0001;张三;11010519800101123X;S39;20200115;在网;是;北京;13900000001|13900000002\n' +
        'C002;13800000002;;;G99;20240301;销户;否;上海;\n';
      const { summary, rejections } = await importFile(db, csv(gbk(text)), CUSTOMERS_MAPPING);
      expect(rejections).toEqual([]);
      expect(summary).toMatchObject({ read: 2, accepted: 2, inserted: 2 });
      const zhang = (await customerDocument(db, 'C001'))!.data as Customer;
      expect(zhang).toMatchObject({
        name: '张三',
        phone: '13800000001',
        planName: { zh: '畅享39元套餐', en: 'Smart 39' },
        monthlyFee: 39,
        joinDate: '2020-01-15',
        marketingConsent: true,
      });
      const li = (await customerDocument(db, 'C002'))!.data as Customer;
      // No name: the masked number; no ID number: shown fully masked; closed account.
      expect(li).toMatchObject({ name: '138****0002', idNumber: NO_ID_NUMBER, status: 'churned', doNotDisturb: false });
      const extra = await db.query<{ phone: string }>("SELECT phone FROM customer_extra_phones WHERE customer_id = 'C001' ORDER BY phone");
      expect(extra.map((e) => e.phone)).toEqual(['13900000001', '13900000002']);
    });

    it('refuses a file that is not text, or not in the encoding the mapping names, before writing anything', async () => {
      await expect(importFile(db, csv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08])), CUSTOMERS_MAPPING)).rejects.toThrow(/not a text file/);
      await expect(importFile(db, customers(ROW_1), { ...CUSTOMERS_MAPPING, encoding: 'gbk' })).rejects.toThrow(/not valid gbk/);
      await expect(importFile(db, csv(gbk(`${CUSTOMERS_HEADER}\n${ROW_2}\n`)), { ...CUSTOMERS_MAPPING, encoding: 'utf-8' })).rejects.toThrow(/not valid utf-8/);
      await expect(importFile(db, scratch.file('book.parquet', 'PAR1'), CUSTOMERS_MAPPING)).rejects.toThrow(/not a readable Parquet file/);
      await expect(importFile(db, scratch.file('missing.csv'), CUSTOMERS_MAPPING)).rejects.toThrow(/data file not found/);
    });

    it('a file cut inside a quoted cell stops the import with nothing written; a row cut short is rejected alone', async () => {
      const before = await maxSeq();
      await expect(importFile(db, customers(ROW_1, 'C003,13800000003,"王'), CUSTOMERS_MAPPING)).rejects.toThrow(ImportInputError);
      expect(await maxSeq()).toBe(before);
      const { summary, rejections } = await importFile(db, customers(ROW_1, 'C003,13800000003,王五,'), CUSTOMERS_MAPPING);
      expect(summary).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
      expect(rejections[0]).toMatchObject({ row: 3, raw: 'C003,13800000003,王五,' });
      expect(rejections[0]!.problem.reason).toMatch(/4 cells and the header 10/);
    });
  });

  describe('the mapping is checked before a row is read', () => {
    const broken = (change: (m: typeof CUSTOMERS_MAPPING & Record<string, unknown>) => object) => change(structuredClone(CUSTOMERS_MAPPING) as never);
    it.each([
      ['a field name typo', broken((m) => ({ ...m, fields: { ...m.fields, phnoe: 'x' } })), /"phnoe" is not a field of customers \(did you mean "phone"\?\)/],
      [
        'a required field left out',
        broken((m) => {
          delete (m.fields as Record<string, unknown>).planCode;
          return m;
        }),
        /field "planCode" is required for customers and has no mapping/,
      ],
      ['an unknown entity', broken((m) => ({ ...m, entity: 'customer' })), /entity/],
      [
        'a bad date format',
        broken((m) => ({ ...m, fields: { ...m.fields, joinDate: { column: 'open_date', format: 'YYYY-MM' } } })),
        /joinDate.*needs exactly one each/,
      ],
      [
        'a default of the wrong type',
        broken((m) => ({ ...m, fields: { ...m.fields, doNotDisturb: { default: 'yes' } } })),
        /doNotDisturb.*default "yes" is not a valid boolean/,
      ],
      [
        'an unknown number locale',
        broken((m) => ({ ...m, fields: { ...m.fields, monthlyFee: { column: 'fee', format: 'xx-not-a-locale-123' } } })),
        /monthlyFee/,
      ],
      ['an unknown property', broken((m) => ({ ...m, delimeter: ';' })), /Unrecognized key/],
    ])('%s', (_name, mapping, message) => {
      expect(() => compileMapping(mapping)).toThrow(message);
    });

    it('a mapped column the file does not have stops the import, naming it', async () => {
      const mapping = { ...CUSTOMERS_MAPPING, fields: { ...CUSTOMERS_MAPPING.fields, phone: 'msisnd' } };
      await expect(importFile(db, customers(ROW_1), mapping)).rejects.toThrow(
        /field "phone" reads column "msisnd", which the file does not have \(did you mean "msisdn"\?\)/,
      );
      expect(await liveCount()).toBe(0);
    });
  });

  describe('rows', () => {
    it('rejects each bad row whole with its spreadsheet row number, column, value and reason; good rows go in', async () => {
      const { summary, rejections } = await importFile(
        db,
        customers(
          ROW_1,
          'C005,13800000005,赵六,,S39,2024-03-01,在网,否,,',
          'C006,12345,钱七,,S39,20240301,在网,否,,',
          'C007,13800000007,孙八,,NOPE,20240301,在网,也许,,',
        ),
        CUSTOMERS_MAPPING,
      );
      expect(summary).toMatchObject({ read: 4, accepted: 1, rejected: 3, inserted: 1 });
      expect(rejections.map((r) => [r.row, r.problem.column, r.problem.value])).toEqual([
        [3, 'open_date', '2024-03-01'],
        [4, 'msisdn', '12345'],
        [5, 'consent', '也许'],
      ]);
      expect(rejections[0]!.problem.reason).toMatch(/not a date in the format YYYYMMDD/);
      expect(await customerDocument(db, 'C005')).toBeUndefined();
      // The unknown plan is found once the row's own values are good.
      const plan = await importFile(db, customers('C007,13800000007,孙八,,NOPE,20240301,在网,否,,'), CUSTOMERS_MAPPING);
      expect(plan.rejections[0]!.problem).toMatchObject({ column: 'planCode', value: 'NOPE' });
    });

    it('rejects every row of a key that repeats in the file, and numbers used by two customers of the file', async () => {
      const { summary, rejections } = await importFile(
        db,
        customers(ROW_1, ROW_2, 'C001,13800000009,张三,,S39,20200115,在网,是,,', 'C004,13800000002,周九,,S39,20200115,在网,是,,'),
        CUSTOMERS_MAPPING,
      );
      expect(summary).toMatchObject({ read: 4, accepted: 0, rejected: 4 });
      expect(rejections.map((r) => r.row)).toEqual([2, 3, 4, 5]);
      expect(rejections[0]!.problem.reason).toMatch(/more than one row/);
    });

    it("refuses a number that is another customer's main or extra number, and keeps the owner", async () => {
      await importFile(db, customers(ROW_1), CUSTOMERS_MAPPING);
      const mains = await importFile(
        db,
        customers('C008,13800000001,新户,,S39,20240301,在网,否,,', 'C009,13900000001,新户二,,S39,20240301,在网,否,,'),
        CUSTOMERS_MAPPING,
      );
      const extra = await importFile(db, customers('C010,13800000010,新户三,,S39,20240301,在网,否,,13800000001'), CUSTOMERS_MAPPING);
      expect([...mains.rejections, ...extra.rejections].map((r) => [r.row, r.problem.column, r.problem.reason])).toEqual([
        [2, 'phone', 'number 138****0001 belongs to customer C001'],
        [3, 'phone', 'number 139****0001 belongs to customer C001'],
        [2, 'extraPhones', 'number 138****0001 belongs to customer C001'],
      ]);
      expect(await liveCount()).toBe(1);
      expect(((await customerDocument(db, 'C001'))!.data as Customer).phone).toBe('13800000001');
    });

    it('writes the rejects file a spreadsheet opens: row, column, value, reason, raw row', async () => {
      const path = scratch.file('rejects.csv');
      const sink = openRejectsFile(path);
      sink.write([{ row: 7, raw: 'C1,=cmd,"x"', problem: { column: 'msisdn', value: '=cmd', reason: 'phone: not a mobile' } }]);
      sink.close();
      const [header, line] = parse(readFileSync(path, 'utf8'), { bom: true }) as string[][];
      expect(header).toEqual(['row', 'column', 'value', 'reason', 'raw']);
      // A value starting with = is written so that a spreadsheet shows it rather than runs it.
      expect(line).toEqual(['7', 'msisdn', "'=cmd", 'phone: not a mobile', 'C1,=cmd,"x"']);
    });
  });

  describe('re-runs, snapshots, dry runs and resumes', () => {
    it('a re-run of the same file changes nothing; a changed row is one new version', async () => {
      const first = await importFile(db, customers(ROW_1, ROW_2), CUSTOMERS_MAPPING);
      expect(first.summary).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
      const seq = await maxSeq();
      expect((await importFile(db, customers(ROW_1, ROW_2), CUSTOMERS_MAPPING)).summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
      expect(await maxSeq()).toBe(seq);
      const moved = await importFile(db, customers(ROW_1.replace(',北京,', ',天津,'), ROW_2.replace('G99', 'S39')), CUSTOMERS_MAPPING);
      expect(moved.summary).toMatchObject({ updated: 2, unchanged: 0 });
      expect(await customerDocument(db, 'C002')).toMatchObject({ version: 2, data: { planCode: 'S39', monthlyFee: 39 } });
      // The region lives in the server-only profile: C001's document did not change.
      expect(await customerDocument(db, 'C001')).toMatchObject({ version: 1 });
    });

    it('--full closes active customers the snapshot does not list (kept, status churned on the day), not those on rejected rows', async () => {
      await importFile(db, customers(ROW_1, ROW_2, 'C003,13800000003,王五,,S39,20200115,在网,是,,'), CUSTOMERS_MAPPING);
      const { summary } = await importFile(db, customers(ROW_1, 'C003,13800000003,王五,,S39,not-a-date,在网,是,,'), CUSTOMERS_MAPPING, { full: true });
      expect(summary).toMatchObject({ read: 2, accepted: 1, rejected: 1, closed: 1 });
      expect(await customerDocument(db, 'C002')).toMatchObject({ deleted: false, data: { status: 'churned', churnDate: AS_OF } });
      expect(await customerDocument(db, 'C003')).toMatchObject({ data: { status: 'active' } });
      await expect(importFile(db, customers('C003,13800000003,王五,,S39,not-a-date,在网,是,,'), CUSTOMERS_MAPPING, { full: true })).rejects.toThrow(
        /refusing to close/,
      );
      await expect(importFile(db, csv(PLANS_CSV), PLANS_MAPPING, { full: true })).rejects.toThrow(/--full applies to customers/);
    });

    it('--dry-run counts what would happen and writes nothing; without a database it checks only the rows', async () => {
      await importFile(db, customers(ROW_1), CUSTOMERS_MAPPING);
      const seq = await maxSeq();
      const file = customers(ROW_1.replace('张三', '张叁'), ROW_2, 'C007,13800000007,孙八,,NOPE,20240301,在网,否,,');
      const dry = await importFile(db, file, CUSTOMERS_MAPPING, { dryRun: true, full: true });
      expect(dry.summary).toMatchObject({ read: 3, accepted: 2, rejected: 1, inserted: 1, updated: 1, closed: 0 });
      expect(await maxSeq()).toBe(seq);
      expect(await liveCount()).toBe(1);
      const offline = await importFile(null, file, CUSTOMERS_MAPPING, { dryRun: true });
      expect(offline.summary).toMatchObject({ read: 3, accepted: 3, rejected: 0, inserted: 0 });
    });

    it('an import that fails half-way keeps its committed batches whole; the same file run again finishes it', async () => {
      const rows = Array.from({ length: 10 }, (_, i) => `K${i},1370000000${i},客户${i},,S39,20200115,在网,是,,`);
      let transactions = 0;
      const failing: SqlClient = {
        ...db,
        query: (sql, params) => db.query(sql, params),
        transaction: (fn) => (++transactions === 3 ? Promise.reject(Object.assign(new Error('connection lost'), { code: '08006' })) : db.transaction(fn)),
      };
      await expect(importFile(failing, customers(...rows), CUSTOMERS_MAPPING, { batchSize: 4 })).rejects.toThrow(/connection lost/);
      expect(await liveCount()).toBe(8);
      const resumed = await importFile(db, customers(...rows), CUSTOMERS_MAPPING, { batchSize: 4 });
      expect(resumed.summary).toMatchObject({ inserted: 2, unchanged: 8, updated: 0 });
    });
  });

  describe('complaints and plans re-publish customer documents only when it matters; usage never does', () => {
    const USAGE_MAPPING = {
      entity: 'usage',
      key: 'cust',
      fields: { month: { column: 'ym', format: 'YYYYMM' }, arpu: 'fee', dataGb: 'gb', voiceMinutes: 'min' },
    };
    const YEAR_2025 = Array.from({ length: 12 }, (_, i) => `2025${String(i + 1).padStart(2, '0')}`);

    it("a month close writes each billed customer's usage row and no customer document", async () => {
      await importFile(db, customers(ROW_1, ROW_2), CUSTOMERS_MAPPING);
      const year = YEAR_2025.flatMap((ym) => [`C001,${ym},59,20,300`, `C002,${ym},99,40,500`]);
      const seq = await maxSeq();
      const first = await importFile(db, csv(`cust,ym,fee,gb,min\n${year.join('\n')}\n`), USAGE_MAPPING);
      expect(first.summary).toMatchObject({ inserted: 24, republished: 0 });
      expect((await usageRow('C001')).arpu).toEqual(Array(12).fill(59));
      const close = await importFile(db, csv('cust,ym,fee,gb,min\nC001,202601,59,20,300\nC002,202601,40,5,80\n'), USAGE_MAPPING);
      expect(close.summary).toMatchObject({ inserted: 2, republished: 0 });
      expect(await maxSeq()).toBe(seq);
      expect(await usageRow('C002')).toMatchObject({ endMonth: '2026-01', version: 2 });
      expect((await usageRow('C002')).arpu.at(-1)).toBe(40);
      // The bills themselves are all kept.
      expect(await db.query('SELECT 1 FROM customer_usage')).toHaveLength(26);
      const unknown = await importFile(db, csv('cust,ym,fee,gb,min\nC404,202601,1,1,1\nC001,206201,1,1,1\n'), USAGE_MAPPING);
      expect(unknown.rejections.map((r) => r.problem.reason)).toEqual([
        expect.stringMatching(/not in the book/),
        expect.stringMatching(/month 2062-01 is after the import day 2026-11-01/),
      ]);
      // The mistyped month moved no one's window.
      expect(await usageRow('C001')).toMatchObject({ endMonth: '2026-01', version: 2 });
    });

    it('complaint tickets set the 30- and 90-day counts as of the import day, with the complaints agents logged', async () => {
      await importFile(db, customers(ROW_1), CUSTOMERS_MAPPING);
      await db.query(
        `INSERT INTO customer_events (event_id, device_id, agent_id, customer_id, kind, recorded_at, applied_at_seq, payload)
         VALUES ('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'd1', 'agent01', 'C001', 'complaint', '2026-10-20T10:00:00Z', 1, '{}')`,
      );
      const mapping = {
        entity: 'complaints',
        key: 'ticket',
        fields: { customerId: 'cust', openedOn: 'opened', category: { column: 'type', map: { 投诉: 'complaint', 网络: 'network_issue' } } },
      };
      const file = csv(
        'ticket,cust,opened,type\nT1,C001,2026-10-25 09:30:00,投诉\nT2,C001,2026-09-01,投诉\nT3,C001,2026-08-20,网络\nT4,C001,2026-03-01,网络\n',
      );
      const { summary } = await importFile(db, file, mapping);
      expect(summary).toMatchObject({ inserted: 4, republished: 1 });
      expect((await customerDocument(db, 'C001'))!.data).toMatchObject({ complaints30d: 2, complaints90d: 3, networkIssues90d: 1 });
      expect((await importFile(db, file, mapping)).summary).toMatchObject({ unchanged: 4, republished: 0 });
    });

    it("a renamed, re-priced plan re-publishes its customers: the new name, and the new fee where it was the plan's", async () => {
      await importFile(db, customers(ROW_1, ROW_1.replace('C001', 'C011').replace('13800000001', '13800000011').replace(',13900000001', ',')), {
        ...CUSTOMERS_MAPPING,
        fields: { ...CUSTOMERS_MAPPING.fields, monthlyFee: { column: 'region', map: { 北京: 45 } } },
      });
      await db.query(`UPDATE customers SET data = jsonb_set(data, '{monthlyFee}', '39') WHERE id = 'C011'`);
      const { summary } = await importFile(db, csv('code,zh,en,fee\nS39,畅享49元套餐,Smart 49,49\n'), PLANS_MAPPING);
      expect(summary).toMatchObject({ updated: 1, republished: 2 });
      expect((await customerDocument(db, 'C001'))!.data).toMatchObject({ planName: { en: 'Smart 49' }, monthlyFee: 45 });
      expect((await customerDocument(db, 'C011'))!.data).toMatchObject({ planName: { en: 'Smart 49' }, monthlyFee: 49 });
    });
  });
});

/** GBK bytes of a text. Node decodes GBK but has no encoder: the table is read off the decoder. */
let gbkTable: Map<string, Buffer> | null = null;
function gbk(text: string): Buffer {
  if (gbkTable === null) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        const bytes = Buffer.from([lead, trail]);
        const char = decoder.decode(bytes);
        if (char.length === 1 && char !== '\ufffd' && !gbkTable.has(char)) gbkTable.set(char, bytes);
      }
  }
  return Buffer.concat([...text].map((char) => (char.charCodeAt(0) < 0x80 ? Buffer.from(char) : gbkTable!.get(char)!)));
}
