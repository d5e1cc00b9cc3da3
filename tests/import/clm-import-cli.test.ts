// `clm import` as an operator runs it: exit codes, the --json last line, one line on stderr for a
// file or mapping it cannot use, and the rejects file. The first run of each kind is a real child
// process (a dry run, a refusal, an import into a new data folder); the rest run in-process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runClm } from '../support/clm-process';
import { CUSTOMERS_HEADER, CUSTOMERS_MAPPING, PLANS_CSV, PLANS_MAPPING, clm, clmInProcess, lastJson, scratchDir } from './support';

const scratch = scratchDir('clm-import-cli-');
afterAll(() => scratch.remove());

const mapping = scratch.file('customers.json', JSON.stringify(CUSTOMERS_MAPPING));
const plansMapping = scratch.file('plans.json', JSON.stringify(PLANS_MAPPING));
const plans = scratch.file('plans.csv', PLANS_CSV);
const data = scratch.file(
  'customers.csv',
  `${CUSTOMERS_HEADER}\nC001,13800000001,张三,,S39,20200115,在网,是,北京,\nC002,13800000002,李四,,NOPE,20240301,在网,否,,\nC003,138,王五,,S39,20240301,在网,否,,\n`,
);

describe('clm import', () => {
  it('--dry-run without a database checks every row and ends with one JSON line', () => {
    const run = clm('import', 'customers', '--data', data, '--mapping', mapping, '--dry-run', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rejected row 4, column msisdn: phone: not a mainland mobile number/);
    expect(lastJson(run.stdout)).toEqual({ entity: 'customers', read: 3, accepted: 2, rejected: 1, inserted: 0, updated: 0, unchanged: 0, closed: 0 });
  });

  const firstRefusal = [
    'import',
    'customers',
    '--data',
    data,
    '--mapping',
    scratch.file('typo.json', JSON.stringify({ ...CUSTOMERS_MAPPING, fields: { ...CUSTOMERS_MAPPING.fields, plancode: 'plan' } })),
  ];
  it.each([
    [firstRefusal, /"plancode" is not a field of customers \(did you mean "planCode"\?\)/],
    [['import', 'customers', '--data', join(scratch.dir, 'nope.csv'), '--mapping', mapping, '--dry-run'], /data file not found/],
    [['import', 'customers', '--data', data, '--mapping', scratch.file('bad.json', '{"entity": "customers",'), '--dry-run'], /is not JSON/],
    [['import', 'plans', '--data', data, '--mapping', mapping, '--dry-run'], /mapping .* is for customers, not plans/],
    [['import', 'customer', '--data', data, '--mapping', mapping], /unknown entity "customer"/],
    [['import', 'customers', '--data', data, '--mapping', mapping, '--as-of', '2026-13-40', '--dry-run'], /--as-of "2026-13-40" is not a date/],
  ])('exit 2 with one line on stderr: %#', async (args, message) => {
    const run = args === firstRefusal ? clm(...args) : await clmInProcess(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('exit 2 with one line on stderr when the database cannot be reached, before reading a row', () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const unreachable = 'postgres://clm:clm@127.0.0.1:1/clm';
    const run = runClm(['import', 'customers', '--data', data, '--mapping', mapping, '--json'], { env: { ...process.env, DATABASE_URL: unreachable } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^clm: import: cannot open the database: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain('clm:clm@');
    expect(run.stdout).toBe('');
  });

  it('imports into the database, writes the rejects file; a second run changes nothing; a dry run checks references', async () => {
    const dataDir = join(scratch.dir, 'db');
    expect(clm('import', 'plans', '--data', plans, '--mapping', plansMapping, '--data-dir', dataDir).code).toBe(0);
    const rejects = join(scratch.dir, 'rejects.csv');
    const first = await clmInProcess('import', 'customers', '--data', data, '--mapping', mapping, '--data-dir', dataDir, '--rejects', rejects, '--json');
    expect(first.stderr).toBe('');
    expect(lastJson(first.stdout)).toEqual({ entity: 'customers', read: 3, accepted: 1, rejected: 2, inserted: 1, updated: 0, unchanged: 0, closed: 0 });
    const lines = readFileSync(rejects, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,column,value,reason,raw');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['3,planCode,NOPE', '4,msisdn,138']);
    const again = await clmInProcess('import', 'customers', '--data', data, '--mapping', mapping, '--data-dir', dataDir, '--json');
    expect(lastJson(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, rejected: 2 });
    // A dry run against the named database checks the plan codes too.
    const dry = await clmInProcess('import', 'customers', '--data', data, '--mapping', mapping, '--data-dir', dataDir, '--dry-run', '--json');
    expect(dry.stdout).toMatch(/rejected row 3, column planCode: plan code "NOPE" is not in the plans table/);
    expect(lastJson(dry.stdout)).toMatchObject({ inserted: 0, unchanged: 1, rejected: 2 });
  }, 180_000);
});
