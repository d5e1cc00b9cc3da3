// A retention programme's uplift model: how much a retention contact lowers one customer's chance
// of leaving. Fitted on the programme's randomised data as a two-model (T-learner) estimate on our
// gradient-boosted trees: one model of churn among the treated, one among the held-out control;
// uplift = P(churn | control) − P(churn | treated). Randomisation is what makes the difference
// causal, so only assigned customers (not whoever happened to be called) are fitted on.
import { z } from 'zod';
import { toCsvTable, type StringRows } from '../dataset/csv-table';
import { readFeatureMatrix, selectLabels, selectRows, type FeatureMatrix } from '../dataset/feature-matrix';
import { fitPreprocessing, Preprocessing } from '../dataset/preprocessing';
import { forestMargins } from '../models/gbdt/forest';
import { compileGbdt, fitGbdtModel, GbdtModel, type GbdtParameters, DEFAULT_GBDT_PARAMETERS } from '../models/gbdt-model';
import { sigmoid } from '../models/sigmoid';
import type { ProgrammeArm } from '../../contract/retention-programmes';

/**
 * Enough data to fit: at least this many leavers (and stayers) in each group. A churn model learns
 * from its leavers and the uplift is a difference of two of them, so their noise adds up: on the
 * known-truth simulation (bench/uplift-simulation.ts) fewer than about 200 leavers in the control
 * group ranked customers worse than churn risk does.
 */
export const UPLIFT_MIN_CHURNED_PER_GROUP = 200;
/** Uplift below this (a contact raises churn by more than 1 point) marks a customer a retention call would put off. */
export const DEFAULT_HARM_THRESHOLD = -0.01;
/** Categorical levels need this many rows of the programme to get their own code. */
const MIN_LEVEL_COUNT = 20;

/**
 * Small, strongly regularised trees (two-level, 4 leaves of at least 200 customers): the effect of
 * a call is a few points of churn, so only coarse segments can be told apart from noise.
 */
export const UPLIFT_GBDT_PARAMETERS: GbdtParameters = {
  ...DEFAULT_GBDT_PARAMETERS,
  learningRate: 0.05,
  maxIterations: 300,
  maxLeafNodes: 4,
  maxDepth: 2,
  minSamplesLeaf: 200,
  l2Regularization: 10,
  maxBins: 64,
};

const GroupSummary = z.object({ customers: z.number().int().nonnegative(), churned: z.number().int().nonnegative() });
export type GroupSummary = z.infer<typeof GroupSummary>;

export const UpliftModel = z.object({
  programmeId: z.string().min(1),
  /** The churn window the labels count (days after assignment). */
  windowDays: z.number().int().positive(),
  featureColumns: z.array(z.string().min(1)).min(1),
  preprocessing: Preprocessing,
  treated: GbdtModel,
  control: GbdtModel,
  trainedOn: z.object({ treated: GroupSummary, control: GroupSummary }),
  /** Customers whose uplift is below this get no retention offer and no outbound call. */
  harmThreshold: z.number().max(0),
});
export type UpliftModel = z.infer<typeof UpliftModel>;

/** One assigned customer of a programme: their feature cells (in `featureColumns` order), group and realised churn. */
export interface UpliftExample {
  features: readonly string[];
  arm: ProgrammeArm;
  churned: boolean;
}

export interface FitUpliftOptions {
  programmeId: string;
  windowDays: number;
  featureColumns: readonly string[];
  /** A feature column that names the customer, not a trait (left out of the trees). */
  idColumn?: string;
  harmThreshold?: number;
  parameters?: GbdtParameters;
}

/** Customers and leavers of each group. */
export function groupSummaries(examples: readonly Pick<UpliftExample, 'arm' | 'churned'>[]): Record<ProgrammeArm, GroupSummary> {
  const summary = { treated: { customers: 0, churned: 0 }, control: { customers: 0, churned: 0 } };
  for (const e of examples) {
    summary[e.arm].customers++;
    if (e.churned) summary[e.arm].churned++;
  }
  return summary;
}

/** The stated rule: both groups have at least UPLIFT_MIN_CHURNED_PER_GROUP leavers (and so stayers to compare with). */
export function hasEnoughUpliftData(groups: Record<ProgrammeArm, GroupSummary>): boolean {
  return [groups.treated, groups.control].every((g) => g.churned >= UPLIFT_MIN_CHURNED_PER_GROUP && g.customers - g.churned >= UPLIFT_MIN_CHURNED_PER_GROUP);
}

const rowsOf = (columns: readonly string[], features: readonly (readonly string[])[]): StringRows => [columns, ...features];

/** The two churn models of the programme; null until it has enough data (arbitration keeps today's rule). */
export function fitUpliftModel(examples: readonly UpliftExample[], options: FitUpliftOptions): UpliftModel | null {
  const groups = groupSummaries(examples);
  if (!hasEnoughUpliftData(groups)) return null;
  const parameters = options.parameters ?? UPLIFT_GBDT_PARAMETERS;
  const label = '__churned';
  const table = toCsvTable(
    rowsOf(
      [...options.featureColumns, label],
      examples.map((e) => [...e.features, e.churned ? '1' : '0']),
    ),
  );
  const { preprocessing } = fitPreprocessing(table, { target: label, idColumn: options.idColumn ?? null, ignoreColumns: [] }, MIN_LEVEL_COUNT);
  const features = readFeatureMatrix(table, preprocessing, 'treat_as_missing');
  const labels = Uint8Array.from(examples, (e) => (e.churned ? 1 : 0));
  const fitArm = (arm: ProgrammeArm) => {
    const rows = Uint32Array.from(examples.flatMap((e, i) => (e.arm === arm ? [i] : [])));
    return fitGbdtModel(selectRows(features, rows), selectLabels(labels, rows), null, preprocessing, parameters);
  };
  return {
    programmeId: options.programmeId,
    windowDays: options.windowDays,
    featureColumns: [...options.featureColumns],
    preprocessing,
    treated: fitArm('treated'),
    control: fitArm('control'),
    trainedOn: groups,
    harmThreshold: options.harmThreshold ?? DEFAULT_HARM_THRESHOLD,
  };
}

export interface CompiledUpliftModel {
  programmeId: string;
  harmThreshold: number;
  /** The order of the feature cells `uplift` reads. */
  featureColumns: readonly string[];
  /** Expected reduction in churn probability within the window from a retention contact, per row. */
  uplift(features: readonly (readonly string[])[]): Float64Array;
}

/** Compiled models by the model object they came from: a card is built on every ring, a bundle's models change rarely. */
const compiledModels = new WeakMap<UpliftModel, CompiledUpliftModel>();

/** The model compiled for scoring, compiled once per model object (held while the object is). */
export function compileUpliftModel(model: UpliftModel): CompiledUpliftModel {
  let compiled = compiledModels.get(model);
  if (compiled === undefined) {
    compiled = compileModel(model);
    compiledModels.set(model, compiled);
  }
  return compiled;
}

function compileModel(model: UpliftModel): CompiledUpliftModel {
  const treated = compileGbdt(model.treated, model.preprocessing);
  const control = compileGbdt(model.control, model.preprocessing);
  const matrix = (features: readonly (readonly string[])[]): FeatureMatrix =>
    readFeatureMatrix(toCsvTable(rowsOf(model.featureColumns, features)), model.preprocessing, 'treat_as_missing');
  return {
    programmeId: model.programmeId,
    harmThreshold: model.harmThreshold,
    featureColumns: model.featureColumns,
    uplift(features) {
      const m = matrix(features);
      const churnTreated = forestMargins(treated, m);
      const churnControl = forestMargins(control, m);
      return Float64Array.from(churnTreated, (margin, i) => sigmoid(churnControl[i] as number) - sigmoid(margin));
    },
  };
}
