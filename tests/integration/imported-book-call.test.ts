// An operator's own book end to end, as the README's "Run it on your own data" has it: each public
// data set (IBM Telco, BigML churn) imported with the shipped example mappings into the central API's database
// (`clm import`), scored (`clm score`), a staff account created (`clm users create`), the API started
// in production mode, a desk logged in and synced, and a CTI call rung for one imported customer:
// the card the desk pushes with the call shows that customer's plan, tenure and monthly charges as
// the source file's row has them.
//
// FIXTURE (tests/import/public-data.ts): the public files have no phone numbers, so the test's copy
// adds a deterministic "phone" column; and it keeps only each file's first ROWS rows, so the import,
// the scoring and the desk's sync stay a few seconds (the whole files: tests/import/public-datasets.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskBackend, type DeskBackend } from '../../desk-backend/desk-backend';
import { createCentralApi, type CentralApi } from '../../server/app';
import type { DeskEvent, DeskOutput, SyncStatus } from '../../shared/contract/desk-api';
import { wholeMonthsBetween } from '../../shared/domain/dates';
import { envWithoutDatabaseUrl, runClmInProcess } from '../support/clm-process';
import { migratedDataDir } from '../support/test-pglite';
import { BIGML_CHURN_CSV, bigmlCharges, bigmlJoinDate, exampleMapping, IBM_TELCO_CSV, withPhoneColumn } from '../import/public-data';
import { pollUntil } from '../support/poll-until';

const ROWS = 400;
/** The mappings' anchor: they date joining `tenure` months (IBM Telco) or `Account length` days (BigML) before 2026-11-01. */
const MAPPING_AS_OF = Date.parse('2026-11-01T12:00:00+08:00');
const CTI_KEY = 'imported-book-cti-key';
const AGENT = 'agent7001';

/** The imported book's first sync and scoring take longer than the default wait on a loaded machine. */
const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) => pollUntil(read, done, what, 60_000);

/** `clm ARGS` on the test's data folder, in this process; fails the test on a non-zero exit. */
async function clm(...args: string[]): Promise<string> {
  const run = await runClmInProcess(args, { env: envWithoutDatabaseUrl() });
  if (run.code !== 0) throw new Error(`clm ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

interface PublicBook {
  name: string;
  source: string;
  /** The example mappings' prefix: examples/mappings/PREFIX-plans.csv and PREFIX-customers.json. */
  prefix: string;
  /** The row whose customer calls. */
  caller: (rows: Record<string, string>[]) => Record<string, string>;
  /** The caller's card's customer fields, as their row in the source file has them. */
  card: (row: Record<string, string>) => object;
}

const BOOKS: PublicBook[] = [
  {
    name: 'IBM Telco',
    source: IBM_TELCO_CSV,
    prefix: 'ibm-telco',
    caller: (rows) => rows.find((r) => r.Churn === 'No' && r.Contract === 'One year')!,
    card: (row) => ({
      id: row.customerID,
      planName: { en: row.Contract },
      tenureMonths: Number(row.tenure),
      monthlyFee: Number(row.MonthlyCharges),
      status: 'active',
    }),
  },
  {
    name: 'BigML churn',
    source: BIGML_CHURN_CSV,
    prefix: 'bigml-churn',
    caller: (rows) => rows.find((r) => r.Churn === 'False' && r['International plan'] === 'Yes')!,
    card: (row) => ({
      id: row.phone,
      planName: { en: 'International plan' },
      tenureMonths: wholeMonthsBetween(bigmlJoinDate(row), new Date(MAPPING_AS_OF)),
      monthlyFee: bigmlCharges(row),
      status: 'active',
    }),
  },
];

describe.each(BOOKS)('an imported public book ($name) rung through the CTI to a synced desk', (book) => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'clm-it-imported-'));
  const dataDir = path.join(scratch, 'data');
  const fixture = withPhoneColumn(book.source, path.join(scratch, 'customers.csv'), ROWS);
  const events: DeskEvent[] = [];
  let password: string;
  let api: CentralApi;
  let port: number;
  let desk: DeskBackend;

  const call = async <T>(channel: string, input: unknown = {}): Promise<T> => {
    const result = await desk.invoke(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };

  beforeAll(async () => {
    await migratedDataDir(dataDir);
    const onData = ['--data-dir', dataDir];
    await clm('import', 'plans', '--data', exampleMapping(`${book.prefix}-plans.csv`), '--mapping', exampleMapping('plans.json'), ...onData);
    await clm('import', 'customers', '--data', fixture.path, '--mapping', exampleMapping(`${book.prefix}-customers.json`), ...onData);
    await clm('score', '--workers', '0', ...onData);
    const created = await clm('users', 'create', '--username', AGENT, '--role', 'agent', '--display-name', 'Agent 7001', ...onData);
    password = /password for \S+ \([^)]*\): (\S+)/.exec(created)![1]!;

    api = await createCentralApi({ dataDir, demo: false, ctiKey: CTI_KEY, tokenSecret: 'imported-book-secret' });
    port = Number(new URL(await api.app.listen({ host: '127.0.0.1', port: 0 })).port);
    const started = Date.now();
    desk = createDeskBackend({
      cachePath: path.join(scratch, 'cache.sqlite'),
      apiUrl: `http://127.0.0.1:${port}`,
      // The desk's clock runs from the mappings' as-of day, so a customer's tenure reads as the file's.
      now: () => new Date(MAPPING_AS_OF + (Date.now() - started)),
      pullIntervalMs: 500,
      uploadIntervalMs: 200,
    });
    desk.onEvent((event) => events.push(event));
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
    await api?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('holds only the imported customers, every one scored', async () => {
    const [counts] = await api.db.query<{ customers: number; scores: number }>(
      'SELECT (SELECT count(*)::int FROM customers WHERE NOT deleted) AS customers, (SELECT count(*)::int FROM scores WHERE NOT deleted) AS scores',
    );
    expect(counts).toEqual({ customers: ROWS, scores: ROWS });
  });

  it('the created agent logs in and the desk syncs the imported book', async () => {
    expect(await call<DeskOutput<'session/login'>>('session/login', { username: AGENT, password })).toMatchObject({ agentId: AGENT, role: 'agent' });
    await until(
      () => call<SyncStatus>('sync/status'),
      (s) => s.customersCached === ROWS && s.cursor > 0,
      'the desk to sync the imported book',
    );
  });

  it("a call from an imported customer's phone pops that customer's card: the file's plan, tenure and monthly charges, and a score", async () => {
    const row = book.caller(fixture.rows);
    const callId = `imported-${row.phone}`;
    const response = await fetch(`http://127.0.0.1:${port}/cti/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cti-key': CTI_KEY },
      body: JSON.stringify({ callId, ani: `+86${row.phone}`, agentId: AGENT, event: 'offered' }),
    });
    expect(response.status).toBe(202);
    const offered = await until(
      async () => events.find((e) => e.type === 'call' && e.event.callId === callId),
      (e) => e !== undefined,
      'the call event pushed to the desk',
    );
    if (offered?.type !== 'call') throw new Error('unreachable');
    expect(offered.card).toMatchObject({ kind: 'known', customer: book.card(row) });
    expect(offered.card!.assessment.churnProbability).toEqual(expect.any(Number));
  });
});
