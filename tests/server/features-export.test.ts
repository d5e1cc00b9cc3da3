// `clm features export`: the book's feature table as of an earlier day with the churn observed
// after it, which `clm model train` learns from directly and whose model then scores the book.
// Bad input exits 2 with one line and leaves no file behind. The export and the first refusal run as
// child processes, the rest in-process (tests/support/clm-process.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHURN_TARGET_COLUMN, CUSTOMER_FEATURE_COLUMNS } from '../../shared/analytics/customer-features';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { createCentralApi } from '../../server/app';
import { DEMO_REFERENCE_DATE } from '../../server/seed/demo-customers';
import { envWithoutDatabaseUrl, runClm, runClmInProcess, type ClmRun } from '../support/clm-process';
import { testClock } from '../support/test-clock';
import { migratedDataDir } from '../support/test-pglite';

const dir = mkdtempSync(path.join(tmpdir(), 'clm-features-'));
const file = (name: string) => path.join(dir, name);
const book = file('book');
// The demo book is fixed (DEMO_REFERENCE_DATE), so the as-of day is too: 150 days before the book's
// today, with its 90-day label window long past whatever day the command runs.
const asOf = operatorDateDaysBefore(DEMO_REFERENCE_DATE, 150);
// A window that ends after the command's today on any real date: churn in it is not observed yet.
const UNOBSERVED_AS_OF = '2999-01-01';

const trimmed = (run: ClmRun) => ({ ...run, stderr: run.stderr.trim() });
const clm = (...args: string[]) => trimmed(runClm(args, { env: envWithoutDatabaseUrl() }));
const clmInProcess = async (...args: string[]) => trimmed(await runClmInProcess(args, { env: envWithoutDatabaseUrl() }));

beforeAll(async () => {
  // On a copy of the run's migrated template: the API then seeds the book without running initdb and the migrations again.
  const api = await createCentralApi({
    dataDir: await migratedDataDir(book),
    demo: true,
    seedCustomers: 1500,
    tokenSecret: 'features-test',
    ctiKey: 'features-test',
    clock: testClock,
  });
  await api.close();
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clm features export', () => {
  it('writes the scoring feature columns and the churn label; train learns from the file and its model scores the book', { timeout: 300_000 }, async () => {
    const exported = clm('features', 'export', '--as-of', asOf, '--label-window-days', '90', '--out', file('features.csv'), '--data-dir', book);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`wrote \\d+ customers as of ${asOf}`));

    const [header, ...rows] = parse(readFileSync(file('features.csv'), 'utf8')) as string[][];
    expect(header).toEqual([...CUSTOMER_FEATURE_COLUMNS, CHURN_TARGET_COLUMN]);
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows.length).toBeLessThan(1500);
    const labels = new Set(rows.map((row) => row.at(-1)));
    expect(labels).toEqual(new Set(['yes', 'no']));
    // Only history up to the as-of day counts: the demo book's complaints are undated counters, never a past count.
    const complaints = CUSTOMER_FEATURE_COLUMNS.indexOf('complaints_90d');
    expect(rows.every((row) => row[complaints] === '0')).toBe(true);

    const train = await clmInProcess(
      'model',
      'train',
      '--data',
      file('features.csv'),
      '--target',
      'churned',
      '--positive',
      'yes',
      '--id',
      'customer_id',
      '--algo',
      'logit',
      '--out',
      file('model.json'),
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);

    const score = await clmInProcess('score', '--model', file('model.json'), '--data-dir', book);
    expect(score.stderr).toBe('');
    expect(score.code).toBe(0);
    expect(score.stdout).toMatch(/scored 1500 customers/);
  });

  it('refuses bad input with exit code 2 and one line, leaving no file behind', { timeout: 300_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [['--as-of', '2026-02-30', '--label-window-days', '90', '--out', file('bad.csv')], /--as-of "2026-02-30" is not a date YYYY-MM-DD/],
      [['--as-of', 'last year', '--label-window-days', '90', '--out', file('bad.csv')], /--as-of "last year" is not a date/],
      [['--as-of', asOf, '--label-window-days=-5', '--out', file('bad.csv')], /--label-window-days must be a whole number of days, 1 or more, got "-5"/],
      [['--as-of', asOf, '--label-window-days', '0', '--out', file('bad.csv')], /--label-window-days must be a whole number/],
      [
        ['--as-of', UNOBSERVED_AS_OF, '--label-window-days', '90', '--out', file('bad.csv')],
        /the label window ends .*, after today .*: churn in it is not observed yet/,
      ],
      [['--as-of', asOf, '--label-window-days', '90', '--out', file('no-such-dir/bad.csv')], /cannot write .*no-such-dir\/bad\.csv \(ENOENT\)/],
      [['--as-of', asOf, '--label-window-days', '90', '--out', book], /cannot write .*book \(EISDIR\)/],
      [['--as-of', '1990-01-01', '--label-window-days', '90', '--out', file('bad.csv')], /no customer of the book was there on 1990-01-01/],
      [['--label-window-days', '90', '--out', file('bad.csv')], /missing required flag --as-of/],
    ];
    for (const [index, [args, message]] of cases.entries()) {
      const command = ['features', 'export', ...args, '--data-dir', book];
      const run = index === 0 ? clm(...command) : await clmInProcess(...command);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.split('\n')).toHaveLength(1);
    }
    expect(existsSync(file('bad.csv'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});
