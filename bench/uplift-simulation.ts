// Retention measured on a known truth (issue 20 §4): a retention programme played again and again
// over the demo book, whose churn hazard is the generator's ground truth and whose per-segment
// effect of a retention call is written in shared/programmes/uplift-simulation.ts (one segment is
// put off by a call). Prints how often the control-group interval covers the true effect, the
// bias of the old contacted-vs-not comparison, and the customers kept per 1,000 calls when the
// calls go by churn risk or by the uplift model. Seeded: every run prints the same numbers.
import { customerSignals } from '../shared/analytics/customer-signals';
import { compareTargeting, learnUplift, runProgramme, simulatedCustomer, type CallRule, type SimulatedCustomer } from '../shared/programmes/uplift-simulation';
import { HAZARD_AFTER_ACCEPTING, monthlyChurnHazardOf, PRICE_SENSITIVE_PLANS } from '../server/seed/churn-hazard';
import { DEMO_BOOK_SIZE, DEMO_REFERENCE_DATE, generateDemoCustomer } from '../server/seed/demo-customers';
import { measurement, okResult, type BenchResult } from './support/result';
import { isMainModule, runStandalone } from './support/standalone';

const ID = 'uplift-simulation';
const TITLE = 'Retention measured on a known truth (simulation)';
/** The operator's usual control share (issue 20: 5–10 %). */
export const SIMULATION_CONTROL_SHARE = 0.1;
export const COVERAGE_RUNS = 200;
/**
 * The learning pilot the uplift model is fitted on: two waves with half of the programme held out
 * (a 10 % control group would need about ten waves to reach the fitting rule's 200 leavers).
 */
export const LEARNING_CONTROL_SHARE = 0.5;
export const LEARNING_WAVES = 2;
export const LEARNING_SEED = 1_000;
/** Call budgets compared, as shares of the book's active customers. */
const CALL_BUDGETS = [0.15, 0.3];

/** The demo book's active customers as of its reference date, each with their true churn with and without a call. */
export function demoBookPopulation(size: number = DEMO_BOOK_SIZE): SimulatedCustomer[] {
  const acceptedFactor = HAZARD_AFTER_ACCEPTING.retention ?? 1;
  const population: SimulatedCustomer[] = [];
  for (let index = 0; index < size; index++) {
    const customer = generateDemoCustomer(index);
    if (customer.status !== 'active') continue;
    const signals = customerSignals(customer, DEMO_REFERENCE_DATE);
    const truth = { monthlyHazard: monthlyChurnHazardOf(customer, signals), priceSensitivePlan: PRICE_SENSITIVE_PLANS.has(customer.planCode) };
    population.push(simulatedCustomer(customer, signals, truth, { acceptedFactor }));
  }
  return population;
}

/** The programme's call list: its treated customers at risk, the riskier half of the book. */
function atRiskCallRule(population: readonly SimulatedCustomer[]): CallRule {
  const sorted = population.map((c) => c.churnUncalled).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  return (customer) => customer.churnUncalled >= median;
}

export interface SimulationSummary {
  customers: number;
  runs: number;
  coverage: number;
  controlGroupBias: number;
  controlGroupRmse: number;
  descriptiveBias: number;
  descriptiveRmse: number;
  meanTrueEffect: number;
}

/** Repeated programme runs with fresh groups and fresh churn draws (seeds 1..runs). */
export function repeatedRuns(population: readonly SimulatedCustomer[], runs: number, controlShare: number = SIMULATION_CONTROL_SHARE): SimulationSummary {
  const calls = atRiskCallRule(population);
  let covered = 0;
  const errors = { control: [] as number[], descriptive: [] as number[] };
  let trueEffect = 0;
  for (let seed = 1; seed <= runs; seed++) {
    const run = runProgramme(population, controlShare, calls, seed);
    if (run.interval[0] <= run.trueEffect && run.trueEffect <= run.interval[1]) covered++;
    errors.control.push(run.estimate - run.trueEffect);
    errors.descriptive.push(run.descriptive - run.trueEffectOnCalled);
    trueEffect += run.trueEffect;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rmse = (xs: number[]) => Math.sqrt(mean(xs.map((x) => x * x)));
  return {
    customers: population.length,
    runs,
    coverage: covered / runs,
    controlGroupBias: mean(errors.control),
    controlGroupRmse: rmse(errors.control),
    descriptiveBias: mean(errors.descriptive),
    descriptiveRmse: rmse(errors.descriptive),
    meanTrueEffect: trueEffect / runs,
  };
}

const points = (rate: number) => Math.round(rate * 10_000) / 100;

export async function runUpliftSimulationBench(): Promise<BenchResult> {
  const started = performance.now();
  const population = demoBookPopulation();
  const summary = repeatedRuns(population, COVERAGE_RUNS);
  const model = learnUplift(population, LEARNING_CONTROL_SHARE, LEARNING_WAVES, LEARNING_SEED);
  if (model === null) throw new Error('the learning pilot has too few leavers in a group to fit the uplift model');
  const budgets = CALL_BUDGETS.map((share) => compareTargeting(population, model, Math.round(population.length * share)));
  const kept = (value: number) => Math.round(value * 10) / 10;
  return okResult(ID, TITLE, started, {
    measurements: [
      measurement({ metric: `control-group 95 % interval covers the true effect (${summary.runs} runs)`, value: points(summary.coverage), unit: '%' }),
      measurement({ metric: 'control-group estimate: bias', value: points(summary.controlGroupBias), unit: 'points' }),
      measurement({ metric: 'control-group estimate: RMSE', value: points(summary.controlGroupRmse), unit: 'points' }),
      measurement({ metric: 'contacted vs not (descriptive): bias', value: points(summary.descriptiveBias), unit: 'points' }),
      measurement({ metric: 'contacted vs not (descriptive): RMSE', value: points(summary.descriptiveRmse), unit: 'points' }),
      ...budgets.flatMap(({ contacts, risk, uplift, ceiling }) => [
        measurement({
          metric: `${contacts.toLocaleString('en-US')} calls: customers kept per 1,000 calls, uplift targeting`,
          value: kept(uplift.keptPer1000),
          unit: '',
          baseline: { label: 'risk targeting', value: kept(risk.keptPer1000), unit: '' },
        }),
        measurement({
          metric: `${contacts.toLocaleString('en-US')} calls: customers kept per 1,000 calls, by the true uplift (ceiling)`,
          value: kept(ceiling.keptPer1000),
          unit: '',
        }),
        measurement({
          metric: `${contacts.toLocaleString('en-US')} calls: harmed segment called, uplift targeting`,
          value: uplift.harmedCalled,
          unit: 'customers',
          baseline: { label: 'risk targeting', value: risk.harmedCalled, unit: 'customers' },
        }),
      ]),
    ],
    notes: [
      `${summary.customers.toLocaleString('en-US')} active demo customers; control share ${SIMULATION_CONTROL_SHARE * 100} %; the call list is the treated riskier half; true programme effect ${points(summary.meanTrueEffect)} points of 90-day churn per programme customer.`,
      `Bias and RMSE are against the truth each figure claims: the programme's effect for the control-group estimate, the effect on the called customers for the descriptive one.`,
      `Targeting: risk targeting ranks by the true churn probability (the best a churn model could do); uplift targeting by the T-learner fitted on a ${LEARNING_WAVES}-wave pilot with ${LEARNING_CONTROL_SHARE * 100} % held out (${model.trainedOn.treated.churned} treated and ${model.trainedOn.control.churned} control leavers) and never calls a customer below its harm threshold; "kept" is the true uplift summed over the called.`,
    ],
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runUpliftSimulationBench);
