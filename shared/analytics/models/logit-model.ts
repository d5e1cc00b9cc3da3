// The logit churn model: standardised design, Newton-fitted L2 logistic regression, and a
// compiled form that scores straight from the feature matrix. Because the design is centred,
// coefficient × (x − mean x) summed over a column's terms is that column's exact additive
// contribution to the margin, with the intercept as base value.
import { z } from 'zod';
import type { FeatureMatrix } from '../dataset/feature-matrix';
import type { Preprocessing } from '../dataset/preprocessing';
import { designLayout, encodeDesign, termCount } from './logit-design';
import { fitLogisticRegression } from './logistic-regression';

export const LogitParameters = z.object({
  l2: z.number().nonnegative(),
  maxIterations: z.number().int().positive(),
  tolerance: z.number().positive(),
});
export type LogitParameters = z.infer<typeof LogitParameters>;

export const DEFAULT_LOGIT_PARAMETERS: LogitParameters = { l2: 1, maxIterations: 100, tolerance: 1e-8 };

export const LogitModel = z.object({
  algo: z.literal('logit'),
  parameters: LogitParameters,
  intercept: z.number(),
  /** One per design column (see logit-design.ts), on the standardised scale. */
  coefficients: z.array(z.number()),
  designMean: z.array(z.number()),
  designScale: z.array(z.number().positive()),
  iterations: z.number().int().nonnegative(),
  converged: z.boolean(),
});
export type LogitModel = z.infer<typeof LogitModel>;

export function fitLogitModel(
  features: FeatureMatrix,
  labels: Uint8Array,
  weights: Float64Array | null,
  preprocessing: Preprocessing,
  parameters: LogitParameters,
): LogitModel {
  const layout = designLayout(preprocessing);
  const design = encodeDesign(features, preprocessing, layout);
  const { width } = layout;
  const mean = new Float64Array(width);
  const scale = new Float64Array(width);
  for (let i = 0; i < features.rows; i++) for (let k = 0; k < width; k++) mean[k] = (mean[k] as number) + (design[i * width + k] as number);
  mean.forEach((sum, k) => (mean[k] = sum / features.rows));
  for (let i = 0; i < features.rows; i++)
    for (let k = 0; k < width; k++) scale[k] = (scale[k] as number) + ((design[i * width + k] as number) - (mean[k] as number)) ** 2;
  // A constant design column (e.g. "other" with no rare levels) keeps scale 1 and gets weight 0.
  scale.forEach((sum, k) => (scale[k] = Math.sqrt(sum / features.rows) || 1));
  for (let i = 0; i < features.rows; i++) {
    for (let k = 0; k < width; k++) design[i * width + k] = ((design[i * width + k] as number) - (mean[k] as number)) / (scale[k] as number);
  }
  const fit = fitLogisticRegression(design, features.rows, width, labels, weights, parameters);
  return {
    algo: 'logit',
    parameters,
    intercept: fit.intercept,
    coefficients: Array.from(fit.coefficients),
    designMean: Array.from(mean),
    designScale: Array.from(scale),
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/**
 * The model folded per feature column: a numeric column contributes slope·x + offset (or a fixed
 * amount when missing), a categorical a table entry per code (last entry: missing).
 */
export interface CompiledLogit {
  intercept: number;
  width: number;
  isCategorical: Uint8Array;
  slope: Float64Array;
  offset: Float64Array;
  missingTerm: Float64Array;
  /** Start of each categorical column's table in `tables`; its "other" code is levelCount[j]. */
  tableStart: Int32Array;
  levelCount: Int32Array;
  tables: Float64Array;
}

export function compileLogit(model: LogitModel, preprocessing: Preprocessing): CompiledLogit {
  const specs = preprocessing.columns;
  const layout = designLayout(preprocessing);
  const width = specs.length;
  // β/σ and −β·μ/σ of design column k: its contribution is a·value + b.
  const a = (k: number) => (model.coefficients[k] as number) / (model.designScale[k] as number);
  const b = (k: number) => -a(k) * (model.designMean[k] as number);
  const compiled: CompiledLogit = {
    intercept: model.intercept,
    width,
    isCategorical: new Uint8Array(width),
    slope: new Float64Array(width),
    offset: new Float64Array(width),
    missingTerm: new Float64Array(width),
    tableStart: new Int32Array(width).fill(-1),
    levelCount: new Int32Array(width),
    tables: new Float64Array(specs.reduce((n, spec) => n + (spec.type === 'categorical' ? spec.levels.length + 2 : 0), 0)),
  };
  let tableCursor = 0;
  specs.forEach((spec, j) => {
    const first = layout.start[j] as number;
    if (spec.type === 'numeric') {
      const indicator = spec.hasMissing ? first + 1 : -1;
      const baseline = indicator >= 0 ? b(indicator) : 0;
      compiled.slope[j] = a(first);
      compiled.offset[j] = b(first) + baseline;
      compiled.missingTerm[j] = a(first) * spec.median + b(first) + (indicator >= 0 ? a(indicator) + b(indicator) : 0);
      return;
    }
    compiled.isCategorical[j] = 1;
    compiled.tableStart[j] = tableCursor;
    compiled.levelCount[j] = spec.levels.length;
    let allZero = 0;
    for (let t = 0; t < termCount(spec); t++) allZero += b(first + t);
    for (let code = 0; code <= spec.levels.length; code++) compiled.tables[tableCursor + code] = allZero + a(first + code);
    compiled.tables[tableCursor + spec.levels.length + 1] = allZero + (spec.hasMissing ? a(first + spec.levels.length + 1) : 0);
    tableCursor += spec.levels.length + 2;
  });
  return compiled;
}

/** Contribution of feature column j at value x (NaN = missing). */
export function logitTerm(model: CompiledLogit, j: number, x: number): number {
  if (model.isCategorical[j] === 1) {
    const start = model.tableStart[j] as number;
    const other = model.levelCount[j] as number;
    return model.tables[start + (Number.isNaN(x) ? other + 1 : Math.min(Math.max(x, 0), other) | 0)] as number;
  }
  return Number.isNaN(x) ? (model.missingTerm[j] as number) : (model.slope[j] as number) * x + (model.offset[j] as number);
}

export function logitMargins(model: CompiledLogit, features: FeatureMatrix, out: Float64Array = new Float64Array(features.rows)): Float64Array {
  const { width } = model;
  const values = features.values;
  for (let i = 0; i < features.rows; i++) {
    let margin = model.intercept;
    const base = i * width;
    for (let j = 0; j < width; j++) margin += logitTerm(model, j, values[base + j] as number);
    out[i] = margin;
  }
  return out;
}

/** Per-column contributions of one row; base value is the intercept. */
export function logitContributions(model: CompiledLogit, row: Float64Array): Float64Array {
  return Float64Array.from(row, (x, j) => logitTerm(model, j, x));
}
