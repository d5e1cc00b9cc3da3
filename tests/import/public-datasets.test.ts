// The two public data sets, imported with the shipped example mappings as an operator would, and
// each customer's card (the shared card builder the desk uses) showing that customer's real plan,
// tenure and charges. The files are read from shared/data at test time, never copied into the repo;
// the added phone column is a fixture (tests/import/public-data.ts). The same path through the
// central API, clm score, a desk's sync and a ringing call: tests/integration/imported-book-call.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, type CustomerUsage } from '../../shared/contract/entities';
import { buildCustomerCard } from '../../shared/domain/customer-card';
import { wholeMonthsBetween } from '../../shared/domain/dates';
import type { SqlClient } from '../../server/db/sql-client';
import { rescoreBook } from '../../server/scoring/rescore-book';
import { BIGML_CHURN_CSV, bigmlCharges, bigmlJoinDate, exampleMapping as example, IBM_TELCO_CSV, withPhoneColumn } from './public-data';
import { AS_OF, importFile, migratedDatabase, scratchDir } from './support';

const NOW = new Date(`${AS_OF}T00:00:00Z`);
const scratch = scratchDir('clm-import-public-');

/** Every customer's card, built by the desk's card builder from the stored documents. */
async function cards(db: SqlClient) {
  const rows = await db.query<{ data: unknown }>('SELECT data FROM customers WHERE NOT deleted');
  const card = (customer: Customer) =>
    buildCustomerCard({
      phone: customer.phone,
      customer,
      score: null,
      offers: [],
      offerStats: new Map(),
      contactHistory: null,
      recentOutcomes: [],
      channel: 'hotline',
      explorationSeed: 'import-test',
      now: NOW,
    });
  return new Map(rows.map((r) => Customer.parse(r.data)).map((c) => [c.id, card(c)]));
}

afterAll(() => scratch.remove());

describe('IBM Telco through examples/mappings/ibm-telco-*.json', () => {
  let db: SqlClient;
  const telco = withPhoneColumn(IBM_TELCO_CSV, scratch.file('telco.csv'));
  beforeAll(async () => {
    db = await migratedDatabase();
    await importFile(db, example('ibm-telco-plans.csv'), example('plans.json'));
  });
  afterAll(() => db?.close());

  it('imports all 7,043 customers, and every card shows the real plan, tenure and monthly charges', async () => {
    const { summary, rejections } = await importFile(db, telco.path, example('ibm-telco-customers.json'));
    expect(rejections).toEqual([]);
    expect(summary).toMatchObject({ read: 7043, accepted: 7043, rejected: 0, inserted: 7043, updated: 0, unchanged: 0 });
    const book = await cards(db);
    for (const row of telco.rows) {
      expect(book.get(row.customerID!)?.customer, row.customerID).toMatchObject({
        planName: { en: row.Contract },
        tenureMonths: Number(row.tenure),
        monthlyFee: Number(row.MonthlyCharges),
        status: row.Churn === 'Yes' ? 'churned' : 'active',
      });
    }
  }, 180_000);

  it('a second run of the same file changes nothing, and clm score scores the imported book', async () => {
    const [{ seq: before }] = (await db.query<{ seq: number }>('SELECT max(change_seq) AS seq FROM customers')) as [{ seq: number }];
    const { summary } = await importFile(db, telco.path, example('ibm-telco-customers.json'));
    expect(summary).toMatchObject({ read: 7043, inserted: 0, updated: 0, unchanged: 7043 });
    const [{ seq: after }] = (await db.query<{ seq: number }>('SELECT max(change_seq) AS seq FROM customers')) as [{ seq: number }];
    expect(after).toBe(before);

    const report = await rescoreBook(db, { now: NOW });
    expect(report).toMatchObject({ customers: 7043, written: 7043 });
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM scores WHERE NOT deleted')) as [{ n: number }];
    expect(n).toBe(7043);
  }, 180_000);
});

describe('BigML churn through examples/mappings/bigml-churn-*.json', () => {
  let db: SqlClient;
  const bigml = withPhoneColumn(BIGML_CHURN_CSV, scratch.file('bigml.csv'));
  beforeAll(async () => {
    db = await migratedDatabase();
    await importFile(db, example('bigml-churn-plans.csv'), example('plans.json'));
  });
  afterAll(() => db?.close());

  it('imports all 2,666 customers keyed by the phone column; cards show plan, tenure (account length in days) and charges', async () => {
    const { summary, rejections } = await importFile(db, bigml.path, example('bigml-churn-customers.json'));
    expect(rejections).toEqual([]);
    expect(summary).toMatchObject({ read: 2666, accepted: 2666, inserted: 2666 });
    const book = await cards(db);
    for (const row of bigml.rows) {
      expect(book.get(row.phone!)?.customer, row.phone).toMatchObject({
        planName: { en: row['International plan'] === 'Yes' ? 'International plan' : 'Domestic plan' },
        tenureMonths: wholeMonthsBetween(bigmlJoinDate(row), NOW),
        monthlyFee: bigmlCharges(row),
        status: row.Churn === 'True' ? 'churned' : 'active',
      });
    }
    const [profile] = await db.query<{ region: string }>('SELECT region FROM customer_profiles WHERE customer_id = $1', [bigml.rows[0]!.phone]);
    expect(profile?.region).toBe(bigml.rows[0]!.State);
  });

  it("imports the same file as the month's bills: the customer's usage row (not their document) carries the charges and minutes", async () => {
    const { summary } = await importFile(db, bigml.path, example('bigml-churn-usage.json'));
    expect(summary).toMatchObject({ read: 2666, accepted: 2666, inserted: 2666, republished: 0 });
    const row = bigml.rows[7]!;
    const [stored] = await db.query<{ data: CustomerUsage }>('SELECT data FROM customer_usage_windows WHERE customer_id = $1', [row.phone]);
    expect(stored!.data.arpu.at(-1)).toBe(bigmlCharges(row));
    const minutes = ['Total day minutes', 'Total eve minutes', 'Total night minutes', 'Total intl minutes'].reduce((s, c) => s + Number(row[c]), 0);
    expect(stored!.data.voiceMinutes.at(-1)).toBeCloseTo(minutes, 1);
  });
});
