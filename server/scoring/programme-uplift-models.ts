// The retention programmes' uplift models (shared/analytics/uplift), fitted from the recorded
// assignments each time the scoring bundle is published, so desks receive them with the churn
// model and every publishing path (seed, `clm score`, a promoted model) carries the current ones.
// Counted first in SQL: a programme without enough leavers in a group costs one query, no fitting.
import { fitCustomerUplift, programmeUpliftExamples } from '../../shared/analytics/uplift/programme-uplift-data';
import { hasEnoughUpliftData, type UpliftModel } from '../../shared/analytics/uplift/uplift-model';
import { Customer } from '../../shared/contract/entities';
import type { ProgrammeArm } from '../../shared/contract/retention-programmes';
import { PROGRAMME_WINDOWS_DAYS } from '../../shared/contract/supervisor-reports';
import type { SqlClient } from '../db/sql-client';
import { operatorDaySql } from '../reports/report-period';
import { CUSTOMER_WITH_USAGE_SQL, USAGE_WINDOW_JOIN } from '../sync/usage-windows';

/** The report's longest window: the uplift is the fall in churn over it. */
export const UPLIFT_WINDOW_DAYS = Math.max(...PROGRAMME_WINDOWS_DAYS);

// $1: now; $2: the window. Customers an ethical limit protected are left out, as in the programme report.
const PASSED = `a.exempt_by IS NULL AND a.assigned_at <= $1::timestamptz - $2 * interval '1 day'`;

const GROUPS_SQL = `SELECT a.programme_id, a.arm, count(*)::int AS customers,
    count(*) FILTER (WHERE c.data->>'churnDate' IS NOT NULL AND (c.data->>'churnDate')::date <= ${operatorDaySql('a.assigned_at')} + $2::int)::int AS churned
  FROM programme_assignments a JOIN customers c ON c.id = a.customer_id
  WHERE ${PASSED} GROUP BY a.programme_id, a.arm`;

const ASSIGNED_SQL = `SELECT a.arm, a.assigned_at, ${CUSTOMER_WITH_USAGE_SQL} AS customer
  FROM programme_assignments a JOIN customers c ON c.id = a.customer_id ${USAGE_WINDOW_JOIN}
  WHERE ${PASSED} AND a.programme_id = $3 ORDER BY a.customer_id`;

export async function programmeUpliftModels(db: SqlClient, now: Date): Promise<UpliftModel[]> {
  const params = [now.toISOString(), UPLIFT_WINDOW_DAYS];
  const groups = await db.query<{ programme_id: string; arm: ProgrammeArm; customers: number; churned: number }>(GROUPS_SQL, params);
  const ready = [...new Set(groups.map((g) => g.programme_id))].sort().filter((programmeId) => {
    const group = (arm: ProgrammeArm) => groups.find((g) => g.programme_id === programmeId && g.arm === arm) ?? { customers: 0, churned: 0 };
    return hasEnoughUpliftData({ treated: group('treated'), control: group('control') });
  });
  const models: UpliftModel[] = [];
  for (const programmeId of ready) {
    const rows = await db.query<{ arm: ProgrammeArm; assigned_at: Date | string; customer: unknown }>(ASSIGNED_SQL, [...params, programmeId]);
    const assignments = rows.map((r) => ({ arm: r.arm, assignedAt: new Date(r.assigned_at), customer: Customer.parse(r.customer) }));
    const model = fitCustomerUplift(programmeId, programmeUpliftExamples(assignments, UPLIFT_WINDOW_DAYS, now), UPLIFT_WINDOW_DAYS);
    if (model !== null) models.push(model);
  }
  return models;
}
