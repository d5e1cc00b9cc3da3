// Fuzzing the import (fast-check): any mapping document is either compiled or refused with an
// ImportInputError naming the problem; any row is either converted to values the contract
// accepts or rejected with reasons; any file is either processed (every row accepted or
// rejected) or refused; and importing any file twice changes nothing the second time.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, IsoDate } from '../../shared/contract/entities';
import type { SqlClient } from '../../server/db/sql-client';
import { rowConverter } from '../../server/import/convert-row';
import { ENTITY_FIELDS, IMPORT_ENTITIES } from '../../server/import/entity-fields';
import { ImportInputError } from '../../server/import/import-error';
import { compileMapping } from '../../server/import/mapping';
import { CUSTOMERS_HEADER, CUSTOMERS_MAPPING, PLANS_CSV, PLANS_MAPPING, importFile, migratedDatabase, scratchDir } from './support';

const scratch = scratchDir('clm-import-fuzz-');
afterAll(() => scratch.remove());
let fileCount = 0;
const file = (content: string | Uint8Array) => scratch.file(`fuzz-${++fileCount}.csv`, Buffer.from(content));

const COLUMNS = CUSTOMERS_HEADER.split(',');
const fieldNames = [...new Set(IMPORT_ENTITIES.flatMap((e) => Object.keys(ENTITY_FIELDS[e])))];
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const fieldSpec = fc.oneof(
  fc.constantFrom(...COLUMNS),
  fc.string({ maxLength: 10 }),
  fc.record(
    {
      column: fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 8 })),
      sum: fc.array(fc.constantFrom(...COLUMNS), { maxLength: 3 }),
      map: fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }),
      format: fc.oneof(
        fc.constantFrom('YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'months-before:2026-11-01', 'days-before:2026-02-30', 'en', 'de-DE', 'YYYY-MM', 'zz'),
        fc.string({ maxLength: 10 }),
      ),
      default: fc.oneof(scalar, fc.array(fc.string({ maxLength: 11 }), { maxLength: 2 })),
      junk: scalar,
    },
    { requiredKeys: [] },
  ),
  scalar,
);
const randomMapping = fc.record(
  {
    entity: fc.oneof(fc.constantFrom(...IMPORT_ENTITIES), fc.string({ maxLength: 10 })),
    key: fc.oneof(fc.constantFrom(...COLUMNS), fc.string({ maxLength: 6 }), scalar),
    delimiter: fc.oneof(fc.constantFrom(',', ';', '\t'), fc.string({ maxLength: 3 })),
    encoding: fc.oneof(fc.constantFrom('auto', 'utf-8', 'gbk'), fc.string({ maxLength: 5 })),
    fields: fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 8 })), fieldSpec, { maxKeys: 8 }),
  },
  { requiredKeys: ['entity', 'fields'] },
);
/** The working customers mapping with a few fields dropped, replaced or added: mostly near-valid. */
const mutatedMapping = fc
  .tuple(
    fc.subarray(Object.keys(CUSTOMERS_MAPPING.fields), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom(...Object.keys(ENTITY_FIELDS.customers), 'phnoe', 'planCod'), fieldSpec, { maxKeys: 2 }),
  )
  .map(([dropped, replaced]) => {
    const fields: Record<string, unknown> = { ...CUSTOMERS_MAPPING.fields };
    for (const name of dropped) delete fields[name];
    return { ...CUSTOMERS_MAPPING, fields: { ...fields, ...replaced } };
  });
const mappingDocument = fc.oneof({ arbitrary: mutatedMapping, weight: 3 }, { arbitrary: randomMapping, weight: 1 }, { arbitrary: fc.jsonValue(), weight: 1 });

const mobile = fc.stringMatching(/^1[3-9][0-9]{9}$/);
const date = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2026-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
/** Mostly a good value for the column, sometimes a near miss, sometimes anything. */
const sometimesWrong = (good: fc.Arbitrary<string>, nearMiss: readonly string[]) =>
  fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: fc.constantFrom(...nearMiss), weight: 1 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
/** A row of the customers file (CUSTOMERS_HEADER order); now and then cut short. */
const row = fc
  .tuple(
    sometimesWrong(fc.stringMatching(/^C[0-9]{1,6}$/), ['', ' ']),
    sometimesWrong(
      fc.oneof(
        mobile,
        mobile.map((m) => `+86 ${m}`),
      ),
      ['1380000000', '12345678901', ''],
    ),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    sometimesWrong(fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9]{17}[0-9X]$/)), ['12345', '1234567890123456Y']),
    sometimesWrong(fc.constantFrom('S39', 'G99'), ['']),
    sometimesWrong(date, ['20200230', '2020-01-15', '']),
    sometimesWrong(fc.constantFrom('在网', '销户'), ['active', '']),
    sometimesWrong(fc.constantFrom('是', '否', 'yes', '0', ''), ['也许']),
    fc.string({ maxLength: 10 }),
    sometimesWrong(
      fc.oneof(
        fc.constant(''),
        fc.array(mobile, { maxLength: 3 }).map((m) => m.join('|')),
      ),
      ['139;abc'],
    ),
  )
  .chain((cells) => fc.oneof({ arbitrary: fc.constant<string[]>([...cells]), weight: 9 }, { arbitrary: fc.constant<string[]>(cells.slice(0, 6)), weight: 1 }));
const csvCell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

describe('fuzzed mappings', () => {
  it('compile, or fail with an ImportInputError that names a field, a column or the mapping', () => {
    let compiled = 0;
    fc.assert(
      fc.property(mappingDocument, (document) => {
        try {
          const mapping = compileMapping(document);
          expect(IMPORT_ENTITIES).toContain(mapping.entity);
          compiled += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(ImportInputError);
          expect((error as Error).message).toMatch(/^mapping: /);
        }
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: a good share of the documents were valid mappings.
    expect(compiled).toBeGreaterThan(100);
  });
});

describe('fuzzed rows', () => {
  const convert = rowConverter(compileMapping(CUSTOMERS_MAPPING), COLUMNS);
  it('either convert to values the customer contract accepts, or are rejected with a reason', () => {
    let accepted = 0;
    fc.assert(
      fc.property(row, (cells) => {
        const converted = convert(cells);
        if (!converted.ok) {
          expect(converted.problems.length).toBeGreaterThan(0);
          for (const problem of converted.problems) expect(problem.reason).not.toBe('');
          return;
        }
        accepted += 1;
        const v = converted.values;
        expect(cells).toHaveLength(COLUMNS.length);
        expect(IsoDate.safeParse(v.joinDate).success).toBe(true);
        // What the import builds from these values is a valid synced document.
        const built = Customer.safeParse({
          id: v.id,
          name: v.name ?? 'x',
          phone: v.phone,
          idNumber: v.idNumber ?? '*'.repeat(18),
          planCode: v.planCode,
          planName: { zh: '套餐', en: 'Plan' },
          monthlyFee: 39,
          joinDate: v.joinDate,
          contractEnd: v.contractEnd,
          status: v.status,
          churnDate: v.churnDate,
          arpu: Array(12).fill(0),
          dataUsageGb: Array(12).fill(0),
          voiceMinutes: Array(12).fill(0),
          complaints30d: 0,
          complaints90d: 0,
          networkIssues90d: 0,
          marketingConsent: v.marketingConsent,
          doNotDisturb: v.doNotDisturb,
          version: 1,
        });
        expect(built.error?.issues ?? []).toEqual([]);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('fuzzed files', () => {
  it('are processed (every row accepted or rejected) or refused with an ImportInputError, never anything else', async () => {
    let processed = 0;
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.array(row, { maxLength: 6 }).map((rows) => `${CUSTOMERS_HEADER}\n${rows.map((r) => r.map(csvCell).join(',')).join('\n')}`),
      fc.tuple(fc.array(row, { maxLength: 4 }), fc.nat()).map(([rows, cut]) => {
        const text = `${CUSTOMERS_HEADER}\n${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
        return text.slice(0, CUSTOMERS_HEADER.length + (cut % (text.length - CUSTOMERS_HEADER.length + 1)));
      }),
    );
    await fc.assert(
      fc.asyncProperty(content, async (text) => {
        try {
          const { summary, rejections } = await importFile(null, file(text), CUSTOMERS_MAPPING, { dryRun: true });
          expect(summary.accepted + summary.rejected).toBe(summary.read);
          expect(new Set(rejections.map((r) => r.row)).size).toBe(summary.rejected);
          processed += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(ImportInputError);
        }
      }),
      { numRuns: 300 },
    );
    expect(processed).toBeGreaterThan(30);
  });

  describe('into a database', () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await migratedDatabase();
    });
    afterAll(() => db?.close());

    it('a second import of the same file changes nothing, and every accepted row is in the book', async () => {
      let inserted = 0;
      const rows = fc.array(
        fc.record({
          id: fc.constantFrom('C1', 'C2', 'C3', 'C4', 'C5'),
          phone: fc.constantFrom('13800000001', '13800000002', '13800000003', '1380000000', '13900000009'),
          plan: fc.constantFrom('S39', 'G99', 'NOPE'),
          date: fc.constantFrom('20200115', '20211231', '20200230', 'x'),
          state: fc.constantFrom('在网', '销户', '在网', '?'),
          name: fc.string({ maxLength: 5 }),
        }),
        { maxLength: 8 },
      );
      await fc.assert(
        fc.asyncProperty(rows, async (records) => {
          await db.query('TRUNCATE customers, scores, plans, customer_profiles, customer_extra_phones');
          await importFile(db, file(PLANS_CSV), PLANS_MAPPING);
          const text = `${CUSTOMERS_HEADER}\n${records.map((r) => [r.id, r.phone, csvCell(r.name), '', r.plan, r.date, r.state, '是', '', ''].join(',')).join('\n')}\n`;
          const path = file(text);
          const first = await importFile(db, path, CUSTOMERS_MAPPING, { batchSize: 3 });
          expect(first.summary.accepted + first.summary.rejected).toBe(first.summary.read);
          const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers')) as [{ n: number }];
          expect(n).toBe(first.summary.inserted);
          inserted += first.summary.inserted;
          const second = await importFile(db, path, CUSTOMERS_MAPPING, { batchSize: 3 });
          expect(second.summary).toMatchObject({ inserted: 0, updated: 0, rejected: first.summary.rejected });
        }),
        { numRuns: 40 },
      );
      expect(inserted).toBeGreaterThan(0);
    }, 180_000);
  });
});
