// Migration 0016 on PGlite and on PostgreSQL: the tables that grow with time become monthly
// partitions with their rows, the maintenance keeps months ahead and gives strays their month, and
// the retention purge drops whole expired months, deleting row by row only in the boundary month.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../server/db/migrate';
import { MIGRATIONS } from '../../server/db/migrations';
import { ensureMonthPartitions } from '../../server/db/partition-maintenance';
import { openPostgresClient } from '../../server/db/pg-client';
import { openPgliteClient } from '../../server/db/pglite-client';
import type { SqlClient } from '../../server/db/sql-client';
import { purgeExpired } from '../../server/privacy/purge-expired';
import { TEST_DATABASE_URL, createScratchDatabase } from '../support/scratch-postgres';

const PARTITIONED = ['card_view_audit', 'cti_calls', 'customer_events', 'outcomes'];
const NOW = new Date('2026-12-07T03:00:00Z');

interface Driver {
  name: string;
  open(): Promise<{ db: SqlClient; close(): Promise<void> }>;
}
const pglite: Driver = {
  name: 'PGlite',
  open: async () => {
    const db = await openPgliteClient();
    return { db, close: () => db.close() };
  },
};
const postgres: Driver = {
  name: 'PostgreSQL',
  open: async () => {
    const scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    const db = await openPostgresClient(scratch.url);
    return { db, close: async () => (await db.close(), await scratch.drop()) };
  },
};

const outcomePayload = (id: string, result: string, warningLevel: string | null) =>
  JSON.stringify({ outcomeId: id, draft: { result, note: 'call back after six', context: { warningLevel, arpu3m: 88.5 } } });

/** Rows written under the schema before 0016. */
async function addRowsBeforeMigration(db: SqlClient): Promise<void> {
  const outcomes: [string, string, string, string | null][] = [
    ['00000000-0000-7000-8000-000000000001', '2026-10-15T02:00:00Z', 'accepted', 'red'],
    ['00000000-0000-7000-8000-000000000002', '2026-11-20T09:30:00Z', 'declined', null],
    ['00000000-0000-7000-8000-000000000003', '2026-11-30T23:59:59Z', 'callback', 'yellow'],
  ];
  for (const [id, at, result, warning] of outcomes)
    await db.query(
      `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
       VALUES ($1, 'desk-1', 1, 'agent01', 'CUS1', 'OFF1', $2, 'hotline', $3, $4::jsonb)`,
      [id, result, at, outcomePayload(id, result, warning)],
    );
  await db.query(
    `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('c1', '13800138000', 'agent01', 'offered', '2026-09-03T01:00:00Z')`,
  );
  await db.query(`INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('c2', '13800138000', 'agent01', 'ended', '2026-11-03T01:00:00Z')`);
  await db.query(
    `INSERT INTO card_view_audit (view_id, agent_id, customer_id, phone_masked, purpose, call_id, viewed_at, received_at, device_id)
     VALUES ('00000000-0000-7000-8000-0000000000a1', 'agent01', 'CUS1', '138****8000', 'call', 'c1', '2026-10-01T00:00:00Z', '2026-10-01T00:00:05Z', 'desk-1')`,
  );
  await db.query(
    `INSERT INTO customer_events (event_id, device_id, agent_id, customer_id, kind, recorded_at, received_at, applied_at_seq, payload)
     VALUES ('00000000-0000-7000-8000-0000000000e1', 'desk-1', 'agent01', 'CUS1', 'complaint', '2026-11-02T00:00:00Z', '2026-11-02T00:00:01Z', 7, '{}'::jsonb)`,
  );
}

const rowsOf = (db: SqlClient, table: string) => db.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY 1`);
const partitionOf = async (db: SqlClient, table: string, where: string) =>
  (await db.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM ${table} WHERE ${where}`))[0]?.part;
const exists = async (db: SqlClient, relation: string) =>
  (await db.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [relation]))[0]?.r !== null;

describe.each(TEST_DATABASE_URL ? [pglite, postgres] : [pglite])('monthly partitions on $name', (driver) => {
  let db: SqlClient;
  let close: () => Promise<void>;
  /** Each table's rows under the schema before 0016, and right after it. */
  const before: Record<string, Record<string, unknown>[]> = {};
  const partitioned: Record<string, Record<string, unknown>[]> = {};

  beforeAll(async () => {
    ({ db, close } = await driver.open());
    await runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < 16),
    );
    await addRowsBeforeMigration(db);
    for (const table of PARTITIONED) before[table] = (await rowsOf(db, table)).map((r) => r.row);
    await runMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 16),
    );
    for (const table of PARTITIONED) partitioned[table] = (await rowsOf(db, table)).map((r) => r.row);
    await runMigrations(db);
  }, 120_000);
  afterAll(() => close?.());

  it('converts each table with its rows, every row in its month', async () => {
    const partitionedTables = await db.query<{ name: string }>(`SELECT partrelid::regclass::text AS name FROM pg_partitioned_table ORDER BY 1`);
    expect(partitionedTables.map((p) => p.name)).toEqual(expect.arrayContaining(PARTITIONED));
    for (const table of PARTITIONED) expect(partitioned[table]).toEqual(before[table]);
    // Later migrations keep the rows as they are; they only add generated columns to outcomes (0023).
    const generated = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'outcomes' AND is_generated = 'ALWAYS'`,
    );
    const outcomeColumns = Object.keys(partitioned.outcomes![0]!);
    const addedOutcomeColumns = Object.keys((await rowsOf(db, 'outcomes'))[0]!.row).filter((column) => !outcomeColumns.includes(column));
    expect(generated.map((c) => c.column_name).sort()).toEqual([...addedOutcomeColumns].sort());
    const withoutAdded = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([column]) => !addedOutcomeColumns.includes(column)));
    expect((await rowsOf(db, 'outcomes')).map((r) => withoutAdded(r.row))).toEqual(before.outcomes);
    for (const table of PARTITIONED.filter((t) => t !== 'outcomes')) expect((await rowsOf(db, table)).map((r) => r.row)).toEqual(before[table]);
    expect(await partitionOf(db, 'outcomes', `outcome_id = '00000000-0000-7000-8000-000000000001'`)).toBe('outcomes_p202610');
    // 23:59:59 UTC on 30 November is 1 December in China, but months are cut in UTC.
    expect(await partitionOf(db, 'outcomes', `outcome_id = '00000000-0000-7000-8000-000000000003'`)).toBe('outcomes_p202611');
    expect(await partitionOf(db, 'cti_calls', `call_id = 'c1'`)).toBe('cti_calls_p202609');
    expect(await partitionOf(db, 'card_view_audit', 'true')).toBe('card_view_audit_p202610');
    expect(await partitionOf(db, 'customer_events', 'true')).toBe('customer_events_p202611');
  });

  it('keeps each cursor sequence going where it was', async () => {
    const [call] = await db.query<{ id: number }>(
      `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('c3', '13800138000', 'agent01', 'offered', '2026-11-04T00:00:00Z') RETURNING id`,
    );
    expect(call!.id).toBe(3);
    const [outcome] = await db.query<{ server_seq: number }>(
      `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
       VALUES ('00000000-0000-7000-8000-000000000004', 'desk-1', 2, 'agent02', NULL, NULL, 'not_presented', 'hotline', '2026-11-21T00:00:00Z', '{}'::jsonb)
       RETURNING server_seq`,
    );
    expect(outcome!.server_seq).toBe(4);
  });

  it('still catches a resent outcome by its idempotency key', async () => {
    const resend = await db.query(
      `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
       VALUES ('00000000-0000-7000-8000-000000000002', 'desk-1', 1, 'agent01', 'CUS1', 'OFF1', 'declined', 'hotline', '2026-11-20T09:30:00Z', '{}'::jsonb)
       ON CONFLICT (outcome_id, recorded_at) DO NOTHING RETURNING 1`,
    );
    expect(resend).toEqual([]);
    expect(await db.query(`SELECT 1 FROM outcomes WHERE outcome_id = '00000000-0000-7000-8000-000000000002'`)).toHaveLength(1);
  });

  it('summarises the outcomes it converted, per operator day', async () => {
    const totals = await db.query<{ day: string; contacts: number; accepted_arpu3m: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, contacts, accepted_arpu3m FROM outcome_daily_totals WHERE agent_id = 'agent01' ORDER BY day`,
    );
    expect(totals).toEqual([
      { day: '2026-10-15', contacts: 1, accepted_arpu3m: 88.5 },
      { day: '2026-11-20', contacts: 1, accepted_arpu3m: 0 },
      { day: '2026-12-01', contacts: 1, accepted_arpu3m: 0 },
    ]);
    const warned = await db.query<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM outcome_daily_customers WHERE first_warned_at IS NOT NULL ORDER BY day`,
    );
    expect(warned.map((w) => w.day)).toEqual(['2026-10-15', '2026-12-01']);
  });

  it('creates the months ahead once, and gives rows waiting in the default partition their month', async () => {
    await db.query(
      `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('stray', '13800138000', 'agent01', 'offered', '2024-03-05T00:00:00Z')`,
    );
    expect(await partitionOf(db, 'cti_calls', `call_id = 'stray'`)).toBe('cti_calls_default');
    const created = await ensureMonthPartitions(db, NOW);
    expect(created).toEqual(
      expect.arrayContaining(['outcomes_p202612', 'outcomes_p202701', 'outcomes_p202702', 'cti_calls_p202403', 'cti_calls_p202612', 'customer_events_p202702']),
    );
    expect(created).not.toContain('cti_calls_p202703');
    expect(await partitionOf(db, 'cti_calls', `call_id = 'stray'`)).toBe('cti_calls_p202403');
    expect(await ensureMonthPartitions(db, NOW)).toEqual([]);
  });

  it('purges by dropping the months wholly past the window, and row by row only in the boundary month', async () => {
    // Calls kept 60 days: the cutoff falls on 8 October 2026.
    await db.query(
      `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('due', '13800138000', 'agent01', 'offered', '2026-10-07T00:00:00Z')`,
    );
    await db.query(
      `INSERT INTO cti_calls (call_id, ani, agent_id, event, received_at) VALUES ('kept', '13800138000', 'agent01', 'offered', '2026-10-09T00:00:00Z')`,
    );
    expect(await ensureMonthPartitions(db, NOW)).toEqual(['cti_calls_p202610']);
    expect(await partitionOf(db, 'cti_calls', `call_id = 'due'`)).toBe('cti_calls_p202610');
    const policy = { ctiCalls: 60, cardViewAudit: 3650, outcomeNotes: 3650, customerEvents: 3650 };
    const calls = async () => (await db.query<{ call_id: string }>('SELECT call_id FROM cti_calls ORDER BY call_id')).map((r) => r.call_id);

    const dry = (await purgeExpired(db, { policy, now: NOW, dryRun: true, batchSize: 10 })).find((c) => c.target === 'cti_calls')!;
    expect(dry).toMatchObject({ purged: 3, droppedPartitions: ['cti_calls_p202403', 'cti_calls_p202609'] });
    expect(await calls()).toEqual(['c1', 'c2', 'c3', 'due', 'kept', 'stray']);

    const done = (await purgeExpired(db, { policy, now: NOW, dryRun: false, batchSize: 10 })).find((c) => c.target === 'cti_calls')!;
    expect(done).toMatchObject({ purged: 3, batches: 1, droppedPartitions: ['cti_calls_p202403', 'cti_calls_p202609'] });
    expect(await calls()).toEqual(['c2', 'c3', 'kept']);
    expect(await exists(db, 'cti_calls_p202609')).toBe(false);
    expect(await exists(db, 'cti_calls_p202610')).toBe(true);
    expect((await purgeExpired(db, { policy, now: NOW, dryRun: false, batchSize: 10 })).find((c) => c.target === 'cti_calls')).toMatchObject({
      purged: 0,
      droppedPartitions: [],
    });
  });
});
