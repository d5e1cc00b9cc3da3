// Issue 20 §3: the two-model uplift estimate on our gradient-boosted trees, on synthetic randomised
// data with a known answer, the stated rule for "enough data", and the data a programme's records give it.
import { describe, expect, it } from 'vitest';
import { CUSTOMER_FEATURE_COLUMNS } from '../../shared/analytics/customer-features';
import { seededRandom } from '../../shared/analytics/random';
import { programmeUpliftExamples } from '../../shared/analytics/uplift/programme-uplift-data';
import {
  compileUpliftModel,
  fitUpliftModel,
  hasEnoughUpliftData,
  UPLIFT_MIN_CHURNED_PER_GROUP,
  UpliftModel,
  type UpliftExample,
} from '../../shared/analytics/uplift/uplift-model';
import { customer } from '../offers/fixtures';

const COLUMNS = ['customer_id', 'plan', 'tenure_months'];
/** Churn without a call 20 %; a call halves it on plan A and raises it by half on plan B. */
const CHURN = { A: { control: 0.2, treated: 0.1 }, B: { control: 0.2, treated: 0.3 } } as const;

function examples(count: number, seed: number): UpliftExample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const plan = random.float() < 0.5 ? 'A' : 'B';
    const arm = random.float() < 0.5 ? 'control' : 'treated';
    return { features: [`C${i}`, plan, String(random.int(120))], arm, churned: random.float() < CHURN[plan][arm] };
  });
}

const options = { programmeId: 'winter-retention', windowDays: 90, featureColumns: COLUMNS, idColumn: 'customer_id' };

describe('the uplift model', () => {
  it('is not fitted until each group has enough leavers (and stayers)', () => {
    const few = { customers: 1000, churned: UPLIFT_MIN_CHURNED_PER_GROUP - 1 };
    const enough = { customers: 1000, churned: UPLIFT_MIN_CHURNED_PER_GROUP };
    expect(hasEnoughUpliftData({ treated: enough, control: few })).toBe(false);
    expect(hasEnoughUpliftData({ treated: enough, control: enough })).toBe(true);
    // Nearly everyone left: too few stayers to compare with.
    expect(hasEnoughUpliftData({ treated: enough, control: { customers: UPLIFT_MIN_CHURNED_PER_GROUP + 10, churned: UPLIFT_MIN_CHURNED_PER_GROUP } })).toBe(
      false,
    );
    expect(fitUpliftModel(examples(1500, 1), options)).toBeNull();
  });

  it('finds who a call keeps and who it puts off, and survives storage as JSON', () => {
    const model = fitUpliftModel(examples(8000, 2), options);
    expect(model).not.toBeNull();
    const stored = UpliftModel.parse(JSON.parse(JSON.stringify(model)));
    expect(stored.trainedOn.control.churned).toBeGreaterThanOrEqual(UPLIFT_MIN_CHURNED_PER_GROUP);
    const compiled = compileUpliftModel(stored);
    const [planA, planB] = compiled.uplift([
      ['X1', 'A', '60'],
      ['X2', 'B', '60'],
    ]);
    // True uplift: +10 points on plan A, −10 on plan B.
    expect(planA).toBeGreaterThan(0.05);
    expect(planA).toBeLessThan(0.15);
    expect(planB).toBeLessThan(compiled.harmThreshold);
    expect(planB).toBeGreaterThan(-0.15);
  });

  it('compiles a model object once, and a new object (a newer bundle) again', () => {
    const model = fitUpliftModel(examples(8000, 2), options)!;
    const compiled = compileUpliftModel(model);
    expect(compileUpliftModel(model)).toBe(compiled);
    const copy = UpliftModel.parse(JSON.parse(JSON.stringify(model)));
    const recompiled = compileUpliftModel(copy);
    expect(recompiled).not.toBe(compiled);
    expect(recompiled.uplift([['X1', 'A', '60']])).toEqual(compiled.uplift([['X1', 'A', '60']]));
  });
});

describe('a programme’s recorded assignments as uplift data', () => {
  const assignedAt = new Date('2026-08-01T02:00:00Z');
  const now = new Date('2026-11-15T02:00:00Z');
  const assigned = (id: string, churnDate: string | null, at: Date = assignedAt) => ({
    customer: customer({ id, status: churnDate === null ? 'active' : 'churned', churnDate }),
    arm: 'control' as const,
    assignedAt: at,
  });

  it('counts a leaver within the window (to its last operator day), a later leaver as a stayer, and skips windows not over yet', () => {
    const examples = programmeUpliftExamples(
      [assigned('C1', '2026-10-30'), assigned('C2', '2026-10-31'), assigned('C3', null), assigned('C4', null, new Date('2026-10-01T02:00:00Z'))],
      90,
      now,
    );
    // The window ends 90 days after 1 August 10:00 operator time: 30 October.
    expect(examples.map((e) => e.churned)).toEqual([true, false, false]);
    expect(examples[0]!.features).toHaveLength(CUSTOMER_FEATURE_COLUMNS.length);
    expect(examples[0]!.features[0]).toBe('C1');
  });
});
