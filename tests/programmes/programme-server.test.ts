// The server side of the retention programmes: assignments recorded once (append-only, the time
// first assigned kept), outbound queues skipping held-out customers until an ethical limit releases
// them, and the programme report counted in SQL on a fixture whose figures are worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { runMigrations } from '../../server/db/migrate';
import { recordProgrammeAssignments } from '../../server/catalog/programme-assignments';
import { programmeEffects } from '../../server/reports/programme-report';
import { upsertCustomers } from '../../server/sync/change-log';
import { differenceInterval } from '../../shared/analytics/programme-effect';
import type { Customer } from '../../shared/contract/entities';
import { OutboundQueueResponse } from '../../shared/contract/outbound-queue';
import { RetentionProgramme } from '../../shared/contract/retention-programmes';
import { DAY_MS, operatorDateDaysBefore } from '../../shared/domain/operator-time';
import { assignedArm, holdOutExemption } from '../../shared/programmes/control-group';
import { openEmptyPglite, type TestPglite } from '../support/test-pglite';
import { customer, offer } from '../offers/fixtures';
import { bearer, login, startTestApi } from '../server/support/test-api';

describe('assignments and the outbound queue', () => {
  let api: CentralApi;
  const tokens = new Map<string, string>();
  const TEAM_T1 = ['agent01', 'agent02', 'agent03'];

  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 300 });
    for (const agent of TEAM_T1) tokens.set(agent, await login(api.app, agent));
  });
  afterAll(() => api?.close());

  const listed = async () => {
    const queues = await Promise.all(
      TEAM_T1.map(async (agent) => {
        const response = await api.app.inject({ method: 'GET', url: '/outbound/queue', headers: bearer(tokens.get(agent)!) });
        return OutboundQueueResponse.parse(response.json()).candidates.map((c) => c.customerId);
      }),
    );
    return queues.flat();
  };
  const assignments = () =>
    api.db.query<{ programme_id: string; customer_id: string; arm: string; exempt_by: string | null; assigned_at: Date }>(
      'SELECT programme_id, customer_id, arm, exempt_by, assigned_at FROM programme_assignments ORDER BY programme_id, customer_id',
    );

  it('records each warned customer once, in the group the shared hash draws, and keeps the first time', async () => {
    const first = new Date('2026-09-01T02:00:00Z');
    const added = await recordProgrammeAssignments(api.db, first);
    const rows = await assignments();
    expect(added).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(10);
    const programmes = new Map(
      (await api.db.query<{ p: RetentionProgramme }>(`SELECT DISTINCT data->'programme' AS p FROM offers WHERE data ? 'programme'`)).map((r) => [r.p.id, r.p]),
    );
    for (const row of rows) expect(row.arm).toBe(assignedArm(row.customer_id, programmes.get(row.programme_id)!));
    expect(rows.some((r) => r.arm === 'control')).toBe(true);

    expect(await recordProgrammeAssignments(api.db, first)).toBe(0);
    // A month on, customers newly eligible (a contract now ending soon) join; the first rows stay as they were.
    await recordProgrammeAssignments(api.db, new Date('2026-10-01T02:00:00Z'));
    const later = await assignments();
    for (const row of rows) expect(later).toContainEqual(row);
  });

  it('skips held-out customers in the outbound queues, and lists them again once a complaint is on record', async () => {
    const before = new Set(await listed());
    const heldOut = (await assignments()).filter((r) => r.arm === 'control' && r.exempt_by === null).map((r) => r.customer_id);
    expect(heldOut.length).toBeGreaterThan(0);
    for (const id of heldOut) expect(before.has(id)).toBe(false);

    // A customer listed now whom no ethical limit protects, moved into a control group, drops off every list.
    const [programme] = (await assignments()).map((r) => r.programme_id);
    const [limits] = await api.db.query<{ p: RetentionProgramme }>(`SELECT DISTINCT data->'programme' AS p FROM offers WHERE data->'programme'->>'id' = $1`, [
      programme,
    ]);
    const listedCustomers = await api.db.query<{ data: Customer }>('SELECT data FROM customers WHERE id = ANY($1) ORDER BY id', [[...before]]);
    const target = listedCustomers.find((row) => holdOutExemption(row.data, limits!.p) === null)?.data.id;
    expect(target, 'a listed customer no ethical limit protects').toBeDefined();
    await api.db.query('DELETE FROM programme_assignments WHERE customer_id = $1', [target]);
    await api.db.query(
      `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at) VALUES ($1, $2, 'control', NULL, 0.1, now())`,
      [programme, target],
    );
    expect(await listed()).not.toContain(target);

    const [row] = await api.db.query<{ data: Customer }>('SELECT data FROM customers WHERE id = $1', [target]);
    await api.db.transaction((tx) => upsertCustomers(tx, [{ ...row!.data, complaints30d: 1 }]));
    expect((await listed()).filter((id) => id === target)).toHaveLength(1);
  });
});

describe('the programme report', () => {
  let pglite: TestPglite;
  const NOW = new Date('2026-11-15T10:00:00Z');
  const programme = RetentionProgramme.parse({ id: 'PRG-FIXTURE', controlShare: 0.1 });
  const assignedAt = new Date(NOW.getTime() - 100 * DAY_MS);
  /** The operator date `days` after assignment. */
  const dayAfter = (days: number) => operatorDateDaysBefore(new Date(assignedAt.getTime() + days * DAY_MS));

  let phones = 0;
  async function addPerson(id: string, arm: 'treated' | 'control', churnAfterDays: number | null, options: { exempt?: boolean; assigned?: Date } = {}) {
    const doc = customer({
      id,
      phone: `139${String(++phones).padStart(8, '0')}`,
      status: churnAfterDays === null ? 'active' : 'churned',
      churnDate: churnAfterDays === null ? null : dayAfter(churnAfterDays),
      arpu: Array.from({ length: 12 }, () => 80),
    });
    await pglite.db.transaction((tx) => upsertCustomers(tx, [doc]));
    await pglite.db.query(
      `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at) VALUES ('PRG-FIXTURE', $1, $2, $3, 0.1, $4)`,
      [id, arm, options.exempt === true ? 'recent_complaint' : null, (options.assigned ?? assignedAt).toISOString()],
    );
  }
  async function addOutcome(id: string, customerId: string, offerId: string, result: string, at: Date) {
    await pglite.db.query(
      `INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
       VALUES ($1, 'fixture', $2, 'agent01', $3, $4, $5, 'outbound', $6, '{}'::jsonb)`,
      [id, Number.parseInt(id.slice(-4), 16), customerId, offerId, result, at.toISOString()],
    );
  }

  beforeAll(async () => {
    pglite = await openEmptyPglite();
    await runMigrations(pglite.db);
    for (const o of [
      offer('RET-PRG', { kind: 'retention', costYuan: 60, contactCostYuan: 3, programme }),
      offer('UPSELL', { costYuan: 500, contactCostYuan: 9 }),
    ])
      await pglite.db.query(`INSERT INTO offers (id, version, change_seq, data) VALUES ($1, 1, nextval('sync_change_seq'), $2::jsonb)`, [
        o.id,
        JSON.stringify(o),
      ]);
    // Treated: 200 assigned 100 days ago; 5 leave on day 10, 10 on day 50, 5 on day 80, 3 on day 95 (after every window).
    const treatedChurn = [...Array(5).fill(10), ...Array(10).fill(50), ...Array(5).fill(80), ...Array(3).fill(95)] as number[];
    for (let i = 0; i < 200; i++) await addPerson(`CT${String(i).padStart(6, '0')}`, 'treated', treatedChurn[i] ?? null);
    // Control: 100; 5 leave on day 20, 10 on day 70.
    const controlChurn = [...Array(5).fill(20), ...Array(10).fill(70)] as number[];
    for (let i = 0; i < 100; i++) await addPerson(`CC${String(i).padStart(6, '0')}`, 'control', controlChurn[i] ?? null);
    // Not compared: 10 protected by an ethical limit (who all left), 50 assigned only 20 days ago.
    for (let i = 0; i < 10; i++) await addPerson(`CX${String(i).padStart(6, '0')}`, 'control', 5, { exempt: true });
    for (let i = 0; i < 50; i++) await addPerson(`CN${String(i).padStart(6, '0')}`, 'treated', null, { assigned: new Date(NOW.getTime() - 20 * DAY_MS) });
    // Costs: an accepted programme offer (60 + 3) and a declined one (3) to treated customers in the window count;
    // one before assignment, another offer, a control customer's and one after 90 days do not.
    const day = (n: number) => new Date(assignedAt.getTime() + n * DAY_MS);
    await addOutcome('0190a000-0000-7000-8000-000000000001', 'CT000100', 'RET-PRG', 'accepted', day(3));
    await addOutcome('0190a000-0000-7000-8000-000000000002', 'CT000101', 'RET-PRG', 'declined', day(40));
    await addOutcome('0190a000-0000-7000-8000-000000000003', 'CT000102', 'RET-PRG', 'accepted', day(-1));
    await addOutcome('0190a000-0000-7000-8000-000000000004', 'CT000103', 'UPSELL', 'accepted', day(5));
    await addOutcome('0190a000-0000-7000-8000-000000000005', 'CC000050', 'RET-PRG', 'accepted', day(5));
    await addOutcome('0190a000-0000-7000-8000-000000000006', 'CT000104', 'RET-PRG', 'accepted', day(95));
  });
  afterAll(() => pglite?.dispose());

  it('counts churn at 30/60/90 days per group, with the interval, P(helps) and value worked out by hand', async () => {
    const [effect] = await programmeEffects(pglite.db, NOW, 12);
    expect(effect).toMatchObject({
      programmeId: 'PRG-FIXTURE',
      controlShare: 0.1,
      offerIds: ['RET-PRG'],
      assigned: { treated: 250, control: 100, exempt: 10 },
    });
    const counts = effect!.windows.map((w) => [w.days, w.treated.customers, w.treated.churned, w.control.customers, w.control.churned]);
    expect(counts).toEqual([
      [30, 200, 5, 100, 5],
      [60, 200, 15, 100, 5],
      [90, 200, 20, 100, 15],
    ]);
    const ninety = effect!.windows[2]!;
    expect(ninety.difference).toBeCloseTo(0.15 - 0.1, 10);
    expect(ninety.interval).toEqual(differenceInterval({ customers: 100, churned: 15 }, { customers: 200, churned: 20 }));
    // By hand: Wilson 15/100 = [0.0931, 0.2334], 20/200 = [0.0659, 0.1492];
    // 0.05 − √(0.0569² + 0.0492²) = −0.0252, 0.05 + √(0.0834² + 0.0341²) = 0.1401.
    expect(ninety.interval![0]).toBeCloseTo(-0.0252, 3);
    expect(ninety.interval![1]).toBeCloseTo(0.1401, 3);
    expect(ninety.probabilityHelps).toBeGreaterThan(0.85);
    expect(ninety.enoughData).toBe(true);
    // Kept 0.05 × 200 = 10 customers × 80 yuan × 12 months = 9,600; cost 63 + 3 = 66.
    expect(effect!.value).toMatchObject({ days: 90, customersKept: 10, arpu: 80, revenueKept: 9600, cost: 66, netValue: 9534 });
  });

  it('says there is not enough data while a group is small', async () => {
    const [effect] = await programmeEffects(pglite.db, new Date(assignedAt.getTime() + 45 * DAY_MS), 12);
    expect(effect!.windows.map((w) => [w.days, w.treated.customers, w.enoughData])).toEqual([
      [30, 200, true],
      [60, 0, false],
      [90, 0, false],
    ]);
    expect(effect!.value?.days).toBe(30);
    const [early] = await programmeEffects(pglite.db, new Date(assignedAt.getTime() + 10 * DAY_MS), 12);
    expect(early!.windows.every((w) => !w.enoughData)).toBe(true);
    expect(early!.value).toBeNull();
  });
});
