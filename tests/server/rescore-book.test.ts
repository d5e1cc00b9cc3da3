// Batch scoring of the book: deterministic, publishes only what changed, and a customer whose
// behaviour worsens gets a higher risk in the next run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerScore, type Customer } from '../../shared/contract/entities';
import { runMigrations } from '../../server/db/migrate';
import { openSqlClient } from '../../server/db/open-sql-client';
import type { SqlClient } from '../../server/db/sql-client';
import { trainBookChurnModel } from '../../server/scoring/book-churn-model';
import { rescoreBook } from '../../server/scoring/rescore-book';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { seedDemoData } from '../../server/seed/seed-database';
import { readChangesPage } from '../../server/sync/changes-page';
import { upsertCustomers } from '../../server/sync/change-log';

const NOW = new Date('2026-11-20T08:00:00Z');
const BOOK = 300;

describe('batch scoring (clm score)', () => {
  let db: SqlClient;
  const model = trainBookChurnModel(
    Array.from({ length: 5000 }, (_, i) => generateDemoCustomer(i)),
    NOW,
  );
  const scoreOf = async (id: string) =>
    CustomerScore.parse((await db.query<{ data: unknown }>('SELECT data FROM scores WHERE customer_id = $1', [id]))[0]?.data);

  beforeAll(async () => {
    ({ db } = await openSqlClient({}));
    await runMigrations(db);
    await seedDemoData(db, { customers: BOOK, now: NOW });
  });
  afterAll(async () => db.close());

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

describe('clm score on the command line', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-score-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses an empty book with a clear message and exit code 2', () => {
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/clm.ts', 'score', '--data-dir', dataDir], {
        stdio: 'pipe',
        env: { ...process.env, DATABASE_URL: '' },
      });
    } catch (error) {
      failure = { status: (error as { status: number }).status, stderr: String((error as { stderr: Buffer }).stderr) };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toContain('the customer book is empty');
  });

  it('refuses a missing model file', () => {
    let status: number | undefined;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/clm.ts', 'score', '--model', '/nonexistent/model.json', '--data-dir', dataDir], {
        stdio: 'pipe',
      });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
