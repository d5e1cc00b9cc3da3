// The demo launcher's programme past: assignments 90 days before the call history, outbound calls
// only to customers no programme holds out, leavers written as churned; once only, and the call
// history still follows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { DEMO_PROGRAMMES_DEVICE, seedDemoProgrammes } from '../../server/seed/demo-programmes';
import { seedDemoHistory } from '../../server/seed/demo-history';
import { RetentionProgramme } from '../../shared/contract/retention-programmes';
import { Customer } from '../../shared/contract/entities';
import { DAY_MS } from '../../shared/domain/operator-time';
import { isHeldOut } from '../../shared/programmes/control-group';
import { TEST_NOW } from '../support/test-clock';
import { startTestApi } from '../server/support/test-api';

let api: CentralApi;
beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 300 });
});
afterAll(() => api?.close());

describe('the demo programmes', () => {
  it('assigns, calls only customers no programme holds out, and lets customers leave', async () => {
    const report = await seedDemoProgrammes(api.db, { historyDays: 10, now: TEST_NOW });
    expect(report.assigned).toBeGreaterThan(0);
    expect(report.outcomes).toBeGreaterThan(0);

    const [first] = await api.db.query<{ at: Date }>('SELECT min(assigned_at) AS at FROM programme_assignments');
    const daysBefore = (TEST_NOW.getTime() - new Date(first!.at).getTime()) / DAY_MS;
    expect(daysBefore).toBeGreaterThan(99);
    expect(daysBefore).toBeLessThan(101);

    const programmes = new Map(
      (await api.db.query<{ p: RetentionProgramme }>(`SELECT DISTINCT data->'programme' AS p FROM offers WHERE data ? 'programme'`)).map((r) => [r.p.id, r.p]),
    );
    const called = await api.db.query<{ customer: Customer; programmes: string[] }>(
      `SELECT c.data AS customer, array_agg(a.programme_id) AS programmes FROM outcomes o JOIN customers c ON c.id = o.customer_id
       JOIN programme_assignments a ON a.customer_id = o.customer_id WHERE o.device_id = $1 GROUP BY c.data`,
      [DEMO_PROGRAMMES_DEVICE],
    );
    for (const { customer, programmes: joined } of called)
      expect(
        joined.every((id) => isHeldOut(customer, programmes.get(id)!)),
        customer.id,
      ).toBe(false);
    const [churned] = await api.db.query<{ n: number }>(
      `SELECT count(DISTINCT c.id)::int AS n FROM customers c JOIN programme_assignments a ON a.customer_id = c.id WHERE c.status = 'churned'`,
    );
    expect(churned!.n).toBe(report.leavers);
  });

  it('runs once, and the call history still follows it', async () => {
    expect(await seedDemoProgrammes(api.db, { historyDays: 10, now: TEST_NOW })).toEqual({ assigned: 0, outcomes: 0, leavers: 0 });
    expect((await seedDemoHistory(api.db, { days: 10, now: TEST_NOW })).outcomes).toBeGreaterThan(0);
  });
});
