// Batch scoring of the book: deterministic, publishes only what changed (any field of the score),
// a customer whose behaviour worsens gets a higher risk in the next run, worker threads give the
// same scores as the command's own thread, and an interrupted run leaves whole pages written and
// is finished by the next run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreChanged } from '../../shared/analytics/score-book';
import { CustomerScore, type Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../../server/db/sql-client';
import { trainBookChurnModel } from '../../server/scoring/book-churn-model';
import { EmptyBookError, rescoreBook } from '../../server/scoring/rescore-book';
import { isBadInput } from '../../server/cli/model-commands/cli-error';
import { runMigrations } from '../../server/db/migrate';
import { demoCustomerLife } from '../../server/seed/demo-customers';
import { readChangesPage } from '../../server/sync/changes-page';
import { upsertCustomers } from '../../server/sync/change-log';
import { openDemoPglite, openEmptyPglite, type TestPglite } from '../support/test-pglite';
import { TEST_NOW } from '../support/test-clock';

// The instant the demo book template was scored at, so re-scoring it with the same model changes nothing.
const NOW = TEST_NOW;
const BOOK = 300;
const model = trainBookChurnModel(
  Array.from({ length: 5000 }, (_, i) => demoCustomerLife(i)),
  NOW,
);

describe('batch scoring (clm score)', () => {
  let book: TestPglite;
  let db: SqlClient;
  const scoreOf = async (id: string) =>
    CustomerScore.parse((await db.query<{ data: unknown }>('SELECT data FROM scores WHERE customer_id = $1', [id]))[0]?.data);

  // Building the demo book's template (once per run) can outlast the default hook timeout on a busy machine.
  beforeAll(async () => {
    book = await openDemoPglite(BOOK);
    db = book.db;
  }, 300_000);
  afterAll(async () => book?.dispose());

  it('re-scoring an unchanged book on the same day publishes nothing', async () => {
    const report = await rescoreBook(db, { model, now: NOW });
    expect(report).toMatchObject({ modelId: model.modelId, customers: BOOK, written: 0, unchanged: BOOK });
  });

  it('raises the risk of a customer whose complaints and network problems pile up, and publishes only that', async () => {
    const [row] = await db.query<{ data: Customer }>(
      "SELECT c.data FROM customers c JOIN scores s ON s.customer_id = c.id WHERE c.status = 'active' AND s.warning_level = 'none' ORDER BY c.id LIMIT 1",
    );
    const calm = row!.data;
    const before = await scoreOf(calm.id);
    const [{ max: cursor }] = (await db.query<{ max: number }>('SELECT max(change_seq)::int AS max FROM scores')) as [{ max: number }];
    const worse: Customer = {
      ...calm,
      complaints30d: 4,
      complaints90d: 5,
      networkIssues90d: 5,
      contractEnd: null,
      arpu: [...calm.arpu.slice(0, 9), ...calm.arpu.slice(9).map((a) => a * 0.5)],
    };
    await db.transaction((tx) => upsertCustomers(tx, [worse]));

    const report = await rescoreBook(db, { model, now: NOW });
    const after = await scoreOf(calm.id);
    expect(after.churnProbability).toBeGreaterThan(before.churnProbability);
    expect(after.warningLevel).not.toBe('none');
    expect(after.topReasons.length).toBeGreaterThan(0);
    expect(after.stage).toBe('D');
    // Tiers are fitted on the book, so one customer's change may move a few neighbours across a threshold, not the book.
    expect(report.written).toBeGreaterThanOrEqual(1);
    expect(report.written).toBeLessThan(BOOK / 20);
    const page = await readChangesPage(db, cursor, 1000);
    expect(page.changes.filter((c) => c.entity === 'score').map((c) => c.id)).toContain(calm.id);
  });
});

describe('an empty book', () => {
  it('is refused with a clear message that clm reports as bad input (exit code 2)', async () => {
    const empty = await openEmptyPglite();
    try {
      await runMigrations(empty.db);
      const refusal = await rescoreBook(empty.db, { now: NOW }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(EmptyBookError);
      expect((refusal as Error).message).toContain('the customer book is empty');
      expect(isBadInput(refusal)).toBe(true);
    } finally {
      await empty.dispose();
    }
  });
});

describe('a changed score', () => {
  const stored: CustomerScore = {
    customerId: 'C1',
    version: 3,
    modelVersion: 'book-gbdt · lifecycle-1 · value-1',
    stage: 'D',
    stageReasons: [{ code: 'complaints_rising', params: { complaints30d: 2 } }],
    valueTier: 'gold',
    clv: 1234.5,
    arpu3m: 88,
    rfm: { r: 3, f: 4, m: 5 },
    personalKeyCustomer: false,
    churnProbability: 0.42,
    warningLevel: 'orange',
    topReasons: [{ code: 'feature_contribution', params: { feature: 'complaints_30d', value: 2, effect: 0.31 } }],
    scoredAt: '2026-11-19T08:00:00.000Z',
  };
  // As jsonb hands a document back: its own key order at every depth.
  const reversedKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reversedKeys)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([key, inner]) => [key, reversedKeys(inner)]),
          )
        : value;

  it('is not a new computation time, a new stored version or another key order', () => {
    expect(scoreChanged(reversedKeys(stored), { ...stored, version: 1, scoredAt: '2026-11-20T08:00:00.000Z' })).toBe(false);
  });

  it('is any difference in any field, however deep', () => {
    const fresh = (change: Partial<CustomerScore>) => ({ ...stored, ...change });
    expect(scoreChanged(stored, fresh({ rfm: { r: 3, f: 4, m: 4 } }))).toBe(true);
    expect(scoreChanged(stored, fresh({ topReasons: [{ code: 'feature_contribution', params: { feature: 'complaints_30d', value: 3, effect: 0.31 } }] }))).toBe(
      true,
    );
    expect(scoreChanged(stored, fresh({ stageReasons: [{ code: 'complaints_rising', params: { complaints30d: 3 } }] }))).toBe(true);
    expect(scoreChanged(stored, fresh({ churnProbability: 0.43 }))).toBe(true);
    expect(scoreChanged(stored, fresh({ personalKeyCustomer: true }))).toBe(true);
  });

  it('replaces a stored document the contract no longer reads', () => {
    expect(scoreChanged({ customerId: 'C1', stage: 'X' }, stored)).toBe(true);
  });
});

describe('batch scoring on worker threads', () => {
  let reference: TestPglite;
  let threaded: TestPglite;
  // Another model id: every score's modelVersion changes, so every page has writes.
  const challenger = {
    ...trainBookChurnModel(
      Array.from({ length: 5000 }, (_, i) => demoCustomerLife(i)),
      NOW,
    ),
    modelId: 'book-gbdt-challenger',
  };
  const allScores = async (db: SqlClient) =>
    (await db.query<{ data: CustomerScore }>('SELECT data FROM scores ORDER BY customer_id')).map(({ data: { version: _v, ...rest } }) => rest);

  beforeAll(async () => {
    [reference, threaded] = await Promise.all([openDemoPglite(BOOK), openDemoPglite(BOOK)]);
  }, 300_000);
  afterAll(async () => Promise.all([reference?.dispose(), threaded?.dispose()]));

  it('are written whole pages at a time when interrupted, finished by the next run, and the same as on one thread', { timeout: 120_000 }, async () => {
    const single = await rescoreBook(reference.db, { model: challenger, now: NOW, pageSize: 100 });
    expect(single).toMatchObject({ workers: 0, customers: BOOK, written: BOOK });

    // The connection drops as the second page's transaction commits.
    let commits = 0;
    const dropping: SqlClient = {
      ...threaded.db,
      query: (sql, params) => threaded.db.query(sql, params),
      transaction: (fn) =>
        threaded.db.transaction(async (tx) => {
          const result = await fn(tx);
          if (++commits === 2) throw new Error('connection lost');
          return result;
        }),
    };
    await expect(rescoreBook(dropping, { model: challenger, now: NOW, pageSize: 100, workers: 2 })).rejects.toThrow('connection lost');
    const [{ n: rescored }] = (await threaded.db.query<{ n: number }>("SELECT count(*)::int AS n FROM scores WHERE data->>'modelVersion' LIKE $1", [
      'book-gbdt-challenger%',
    ])) as [{ n: number }];
    expect(rescored).toBe(100);

    const rerun = await rescoreBook(threaded.db, { model: challenger, now: NOW, pageSize: 100, workers: 2 });
    expect(rerun).toMatchObject({ workers: 2, customers: BOOK, written: BOOK - 100 });
    expect(rerun.calibration).toEqual(single.calibration);
    expect(await allScores(threaded.db)).toEqual(await allScores(reference.db));
  });
});
