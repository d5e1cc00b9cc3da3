// Issue 20 §4: proof on a known truth. The demo book's ground-truth hazard and a per-segment effect
// of a retention call (one segment is put off by it) are played as a programme again and again:
// the control-group interval covers the true effect about 95 % of the time, the old contacted-vs-
// not comparison is far off, and uplift targeting keeps more customers per call than risk
// targeting while calling fewer of the harmed segment. Seeded: the same numbers every run.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareTargeting, learnUplift, type SimulatedCustomer } from '../../shared/programmes/uplift-simulation';
import { demoBookPopulation, LEARNING_CONTROL_SHARE, LEARNING_SEED, LEARNING_WAVES, repeatedRuns } from '../../bench/uplift-simulation';

let population: SimulatedCustomer[];
beforeAll(() => {
  // Half the demo book keeps the file to a few CPU seconds; the benchmark plays the whole book.
  population = demoBookPopulation(10_000);
});

describe('the control-group estimate on a known truth', () => {
  it('covers the true effect in about 95 % of 200 runs, while the descriptive comparison is biased', () => {
    const summary = repeatedRuns(population, 200);
    expect(summary.coverage).toBeGreaterThanOrEqual(0.9);
    expect(summary.coverage).toBeLessThanOrEqual(0.99);
    expect(Math.abs(summary.controlGroupBias)).toBeLessThan(0.002);
    // The called are the riskier customers: comparing them with the rest hides the programme's effect.
    expect(Math.abs(summary.descriptiveBias)).toBeGreaterThan(5 * summary.controlGroupRmse);
  });
});

describe('targeting on a known truth', () => {
  it('keeps more customers per call by uplift than by churn risk, and calls the harmed segment less', () => {
    const model = learnUplift(population, LEARNING_CONTROL_SHARE, LEARNING_WAVES, LEARNING_SEED);
    expect(model).not.toBeNull();
    const budgets = [0.15, 0.3].map((share) => compareTargeting(population, model!, Math.round(population.length * share)));
    for (const { risk, uplift } of budgets) expect(uplift.harmedCalled).toBeLessThanOrEqual(risk.harmedCalled);
    const wide = budgets[1]!;
    expect(wide.uplift.calls).toBe(wide.contacts);
    expect(wide.uplift.keptPer1000).toBeGreaterThan(wide.risk.keptPer1000);
  });
});
