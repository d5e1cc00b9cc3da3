// Records each retention programme's control-group assignments: every warned active customer the
// programme's offers are meant for gets one append-only row (programme_assignments) with the group
// the shared hash draws and the time first assigned; later runs add newly warned customers and
// leave existing rows alone. The desks need no row to agree (they draw the same hash from the
// synced offers); the rows are the evidence the programme report counts from.
import { customerSignals } from '../../shared/analytics/customer-signals';
import { Customer, CustomerScore, Offer } from '../../shared/contract/entities';
import { WARNED_LEVELS } from '../../shared/contract/supervisor-reports';
import { eligibilityFacts } from '../../shared/offers/eligibility-facts';
import { evaluateRule } from '../../shared/offers/evaluate-rule';
import { assignedArm, holdOutExemption, programmesOf } from '../../shared/programmes/control-group';
import type { SqlClient } from '../db/sql-client';
import { CUSTOMER_WITH_USAGE_SQL, USAGE_WINDOW_JOIN } from '../sync/usage-windows';

/** Customers read per page: bounds memory on a large book. */
const PAGE_SIZE = 5000;

const PROGRAMME_OFFERS_SQL = `SELECT data FROM offers WHERE NOT deleted AND jsonb_typeof(data->'programme') = 'object' ORDER BY id`;

const WARNED_PAGE_SQL = `SELECT ${CUSTOMER_WITH_USAGE_SQL} AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id AND NOT s.deleted
  ${USAGE_WINDOW_JOIN}
  WHERE NOT c.deleted AND c.status = 'active' AND s.warning_level IN (${WARNED_LEVELS.map((l) => `'${l}'`).join(', ')}) AND c.id > $1
  ORDER BY c.id LIMIT ${PAGE_SIZE}`;

const INSERT_SQL = `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at)
  SELECT a->>'programmeId', a->>'customerId', a->>'arm', a->>'exemptBy', (a->>'controlShare')::double precision, $2::timestamptz
  FROM jsonb_array_elements($1::jsonb) AS a
  ON CONFLICT (programme_id, customer_id) DO NOTHING`;

interface AssignmentRow {
  programmeId: string;
  customerId: string;
  arm: string;
  exemptBy: string | null;
  controlShare: number;
}

/** Adds the assignments missing as of `at`; returns how many rows it added. */
export async function recordProgrammeAssignments(db: SqlClient, at: Date): Promise<number> {
  const offers = (await db.query<{ data: unknown }>(PROGRAMME_OFFERS_SQL)).map((r) => Offer.parse(r.data));
  const programmes = programmesOf(offers).map((p) => ({ ...p, offers: offers.filter((o) => p.offerIds.includes(o.id)) }));
  if (programmes.length === 0) return 0;

  let added = 0;
  let after = '';
  for (;;) {
    const page = await db.query<{ customer: unknown; score: unknown }>(WARNED_PAGE_SQL, [after]);
    if (page.length === 0) return added;
    const rows: AssignmentRow[] = [];
    for (const row of page) {
      const customer = Customer.parse(row.customer);
      const score = CustomerScore.parse(row.score);
      const facts = eligibilityFacts({ customer, signals: customerSignals(customer, at) }, score);
      for (const { programme, offers: programmeOffers } of programmes) {
        if (!programmeOffers.some((offer) => evaluateRule(offer.eligibility, facts).eligible)) continue;
        const arm = assignedArm(customer.id, programme);
        rows.push({
          programmeId: programme.id,
          customerId: customer.id,
          arm,
          exemptBy: holdOutExemption(customer, programme),
          controlShare: programme.controlShare,
        });
      }
      after = customer.id;
    }
    if (rows.length > 0) {
      const inserted = await db.query<{ n: number }>(`WITH added AS (${INSERT_SQL} RETURNING 1) SELECT count(*)::int AS n FROM added`, [
        JSON.stringify(rows),
        at.toISOString(),
      ]);
      added += inserted[0]?.n ?? 0;
    }
  }
}
