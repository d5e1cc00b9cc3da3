// Issue 20 §3: the server fits a programme's uplift model from its recorded assignments (the
// scoring bundle carries it to the desks) once both groups have enough leavers, and not before;
// customers an ethical limit protected and windows not over yet are left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../server/db/migrate';
import { programmeUpliftModels, UPLIFT_WINDOW_DAYS } from '../../server/scoring/programme-uplift-models';
import { upsertCustomers } from '../../server/sync/change-log';
import { compileUpliftModel, UPLIFT_MIN_CHURNED_PER_GROUP } from '../../shared/analytics/uplift/uplift-model';
import type { Customer } from '../../shared/contract/entities';
import type { ProgrammeArm } from '../../shared/contract/retention-programmes';
import { DAY_MS } from '../../shared/domain/operator-time';
import { customer } from '../offers/fixtures';
import { openEmptyPglite, type TestPglite } from '../support/test-pglite';

const NOW = new Date('2026-11-15T02:00:00Z');
const ASSIGNED_AT = new Date(NOW.getTime() - 120 * DAY_MS);
/** Per plan and group, the share leaving within the window: a call halves churn on BASIC19 and raises it on P129. */
const LEAVING = { BASIC19: { control: 0.6, treated: 0.3 }, P129: { control: 0.4, treated: 0.7 } } as const;
const PER_CELL = 300;

let pglite: TestPglite;
/** Every customer of the file gets a number of their own. */
let phones = 0;

async function assign(programmeId: string, rows: { customer: Customer; arm: ProgrammeArm; exemptBy?: string; at?: Date }[]): Promise<void> {
  await pglite.db.transaction((tx) =>
    upsertCustomers(
      tx,
      rows.map((r) => r.customer),
    ),
  );
  await pglite.db.query(
    `INSERT INTO programme_assignments (programme_id, customer_id, arm, exempt_by, control_share, assigned_at)
     SELECT $1, a->>'customerId', a->>'arm', a->>'exemptBy', 0.5, (a->>'at')::timestamptz FROM jsonb_array_elements($2::jsonb) AS a`,
    [
      programmeId,
      JSON.stringify(rows.map((r) => ({ customerId: r.customer.id, arm: r.arm, exemptBy: r.exemptBy ?? null, at: (r.at ?? ASSIGNED_AT).toISOString() }))),
    ],
  );
}

function cell(plan: keyof typeof LEAVING, arm: ProgrammeArm, prefix: string, count: number): { customer: Customer; arm: ProgrammeArm }[] {
  const leaving = Math.round(count * LEAVING[plan][arm]);
  const churnDate = new Date(ASSIGNED_AT.getTime() + 30 * DAY_MS).toISOString().slice(0, 10);
  return Array.from({ length: count }, (_, i) => ({
    arm,
    customer: customer({
      id: `${prefix}-${plan}-${arm}-${i}`,
      phone: `139${String((phones += 1)).padStart(8, '0')}`,
      planCode: plan,
      ...(i < leaving ? { status: 'churned' as const, churnDate } : {}),
    }),
  }));
}

beforeAll(async () => {
  pglite = await openEmptyPglite();
  await runMigrations(pglite.db);
});
afterAll(() => pglite?.dispose());

describe('uplift models fitted on the server', () => {
  it('fits nothing while a group has too few leavers, or only protected customers and open windows would make up the numbers', async () => {
    const few = Math.floor(UPLIFT_MIN_CHURNED_PER_GROUP / 2);
    await assign('small', [...cell('BASIC19', 'treated', 's', few * 4), ...cell('BASIC19', 'control', 's', few)]);
    // Enough in number, but protected by an ethical limit, or assigned too recently for the window to be over.
    await assign('small', [
      ...cell('P129', 'control', 'x', few * 2).map((r) => ({ ...r, exemptBy: 'recent_complaint' })),
      ...cell('BASIC19', 'control', 'y', few * 2).map((r) => ({ ...r, at: new Date(NOW.getTime() - (UPLIFT_WINDOW_DAYS - 1) * DAY_MS) })),
    ]);
    expect(await programmeUpliftModels(pglite.db, NOW)).toEqual([]);
  });

  it('fits a programme with enough leavers in each group, finding who a call keeps and who it puts off', async () => {
    await assign('winter', [
      ...cell('BASIC19', 'treated', 'w', PER_CELL),
      ...cell('BASIC19', 'control', 'w', PER_CELL),
      ...cell('P129', 'treated', 'w', PER_CELL),
      ...cell('P129', 'control', 'w', PER_CELL),
    ]);
    const models = await programmeUpliftModels(pglite.db, NOW);
    expect(models.map((m) => m.programmeId)).toEqual(['winter']);
    expect(models[0]!.trainedOn).toEqual({ treated: { customers: 600, churned: 300 }, control: { customers: 600, churned: 300 } });
    const compiled = compileUpliftModel(models[0]!);
    const row = (plan: string) => compiled.featureColumns.map((name) => (name === 'plan_code' ? plan : name === 'customer_id' ? 'new' : ''));
    const [cheap, premium] = compiled.uplift([row('BASIC19'), row('P129')]);
    expect(cheap).toBeGreaterThan(0.1);
    expect(premium).toBeLessThan(-0.1);
  });
});
