// The retention programmes' incremental effect, counted in SQL from the append-only assignments:
// for each programme and window (30/60/90 days), the customers assigned at least that long ago in
// each group, how many left within the window, and the treated group's ARPU and cost. Customers an
// ethical limit protected when assigned are left out of both groups (only the draw decided the rest).
// Book-wide and up to now: the control group is nobody's contacts, so no team or period applies.
import { PROGRAMME_WINDOWS_DAYS, type ProgrammeEffect } from '../../shared/contract/supervisor-reports';
import { Offer } from '../../shared/contract/entities';
import { PROGRAMME_MIN_GROUP, programmeValue, programmeWindow, type TreatedTotals } from '../../shared/analytics/programme-effect';
import { programmesOf } from '../../shared/programmes/control-group';
import type { SqlClient } from '../db/sql-client';
import { USAGE_WINDOW_JOIN } from '../sync/usage-windows';
import { operatorDaySql } from './report-period';

const PROGRAMME_OFFERS_SQL = `SELECT data FROM offers WHERE NOT deleted AND jsonb_typeof(data->'programme') = 'object' ORDER BY id`;

const ASSIGNED_SQL = `SELECT programme_id, count(*) FILTER (WHERE exempt_by IS NULL AND arm = 'treated')::int AS treated,
    count(*) FILTER (WHERE exempt_by IS NULL AND arm = 'control')::int AS control,
    count(*) FILTER (WHERE exempt_by IS NOT NULL)::int AS exempt
  FROM programme_assignments GROUP BY programme_id`;

// $1: now; $2: the windows in days. A leaver counts when their churn date falls on or before the
// operator day the window ends. Cost: each presentation of one of the programme's offers to a
// treated customer within the window costs its contact cost, each acceptance also the offer's cost.
const WINDOWS_SQL = `WITH assigned AS (
    SELECT a.programme_id, a.customer_id, a.arm, a.assigned_at, c.data->>'churnDate' AS churn_date,
      coalesce((coalesce(u.data->'arpu', c.data->'arpu')->>11)::double precision, 0) AS arpu
    FROM programme_assignments a JOIN customers c ON c.id = a.customer_id ${USAGE_WINDOW_JOIN}
    WHERE a.exempt_by IS NULL)
  SELECT a.programme_id, w.days, a.arm, count(*)::int AS customers,
    count(*) FILTER (WHERE a.churn_date IS NOT NULL AND a.churn_date::date <= ${operatorDaySql('a.assigned_at')} + w.days)::int AS churned,
    coalesce(sum(a.arpu), 0)::double precision AS arpu_sum,
    coalesce(sum(spent.yuan), 0)::double precision AS cost
  FROM assigned a CROSS JOIN unnest($2::int[]) AS w(days)
  LEFT JOIN LATERAL (
    SELECT sum((f.data->>'contactCostYuan')::double precision
      + CASE WHEN o.result = 'accepted' THEN (f.data->>'costYuan')::double precision ELSE 0 END) AS yuan
    FROM outcomes o JOIN offers f ON f.id = o.offer_id
    WHERE a.arm = 'treated' AND o.customer_id = a.customer_id AND o.result IN ('accepted', 'declined', 'callback')
      AND f.data->'programme'->>'id' = a.programme_id
      AND o.recorded_at >= a.assigned_at AND o.recorded_at < a.assigned_at + w.days * interval '1 day') spent ON true
  WHERE a.assigned_at <= $1::timestamptz - w.days * interval '1 day'
  GROUP BY a.programme_id, w.days, a.arm`;

interface WindowRow {
  programme_id: string;
  days: number;
  arm: 'treated' | 'control';
  customers: number;
  churned: number;
  arpu_sum: number;
  cost: number;
}

export async function programmeEffects(db: SqlClient, now: Date, expectedMonthsKept: number): Promise<ProgrammeEffect[]> {
  const offers = (await db.query<{ data: unknown }>(PROGRAMME_OFFERS_SQL)).map((r) => Offer.parse(r.data));
  const programmes = programmesOf(offers);
  if (programmes.length === 0) return [];
  const assigned = new Map(
    (await db.query<{ programme_id: string; treated: number; control: number; exempt: number }>(ASSIGNED_SQL)).map((r) => [r.programme_id, r]),
  );
  const rows = await db.query<WindowRow>(WINDOWS_SQL, [now.toISOString(), [...PROGRAMME_WINDOWS_DAYS]]);
  const rowOf = (programmeId: string, days: number, arm: WindowRow['arm']) =>
    rows.find((r) => r.programme_id === programmeId && r.days === days && r.arm === arm);
  const counts = (row: WindowRow | undefined) => ({ customers: row?.customers ?? 0, churned: row?.churned ?? 0 });

  return programmes.map(({ programme, offerIds }): ProgrammeEffect => {
    const totals = new Map<number, TreatedTotals>();
    const windows = PROGRAMME_WINDOWS_DAYS.map((days) => {
      const treated = rowOf(programme.id, days, 'treated');
      totals.set(days, { arpuSum: treated?.arpu_sum ?? 0, cost: treated?.cost ?? 0 });
      return programmeWindow(days, counts(treated), counts(rowOf(programme.id, days, 'control')));
    });
    const groups = assigned.get(programme.id);
    return {
      programmeId: programme.id,
      controlShare: programme.controlShare,
      offerIds,
      assigned: { treated: groups?.treated ?? 0, control: groups?.control ?? 0, exempt: groups?.exempt ?? 0 },
      windows,
      value: programmeValue(windows, totals, expectedMonthsKept),
      minimumGroup: PROGRAMME_MIN_GROUP,
      expectedMonthsKept,
    };
  });
}
