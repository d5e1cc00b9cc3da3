// The two model families behind one interface: fit from the feature matrix, and a compiled form
// that gives margins (log-odds before calibration) and exact per-column contributions.
import { z } from 'zod';
import type { FeatureMatrix } from '../dataset/feature-matrix';
import type { Preprocessing } from '../dataset/preprocessing';
import { blendMargins, BlendModel } from './blend-model';
import { forestMargins } from './gbdt/forest';
import { treeExplainer } from './gbdt/tree-shap';
import { compileGbdt, fitGbdtModel, GbdtModel, type GbdtParameters } from './gbdt-model';
import { compileLogit, fitLogitModel, logitMargins, logitTerm, LogitModel, type LogitParameters } from './logit-model';

export const ChurnModel = z.discriminatedUnion('algo', [LogitModel, GbdtModel, BlendModel]);
export type ChurnModel = z.infer<typeof ChurnModel>;
/** The families a model is fitted as; a blend is two of them fitted apart (see model-selection.ts). */
export const ALGOS = ['gbdt', 'logit'] as const;
export type Algo = (typeof ALGOS)[number];

export interface AlgoParameters {
  logit: LogitParameters;
  gbdt: GbdtParameters;
}

export function fitChurnModel(
  algo: Algo,
  features: FeatureMatrix,
  labels: Uint8Array,
  weights: Float64Array | null,
  preprocessing: Preprocessing,
  parameters: AlgoParameters,
): ChurnModel {
  return algo === 'logit'
    ? fitLogitModel(features, labels, weights, preprocessing, parameters.logit)
    : fitGbdtModel(features, labels, weights, preprocessing, parameters.gbdt);
}

export interface CompiledChurnModel {
  /** Feature columns a row must have (the preprocessing's columns, in order). */
  width: number;
  margins(features: FeatureMatrix, out?: Float64Array): Float64Array;
  /** Margin of a row whose every column is "unknown": base + Σ contributions = margin. */
  baseValue: number;
  /** Overwrites out[0..width) with the contributions of the row at values[base..]. */
  contributions(values: Float64Array, base: number, out: Float64Array): void;
}

export function compileChurnModel(model: ChurnModel, preprocessing: Preprocessing): CompiledChurnModel {
  if (model.algo === 'blend') return compileBlend(model, preprocessing);
  if (model.algo === 'logit') {
    const compiled = compileLogit(model, preprocessing);
    return {
      width: compiled.width,
      margins: (features, out) => logitMargins(compiled, features, out),
      baseValue: compiled.intercept,
      contributions(values, base, out) {
        for (let j = 0; j < compiled.width; j++) out[j] = logitTerm(compiled, j, values[base + j] as number);
      },
    };
  }
  const forest = compileGbdt(model, preprocessing);
  const explainer = treeExplainer(forest);
  return {
    width: forest.width,
    margins: (features, out) => forestMargins(forest, features, out),
    baseValue: explainer.expectedValue,
    contributions(values, base, out) {
      out.fill(0);
      explainer.explain(values, base, out);
    },
  };
}

/** Margins, base value and contributions are all linear in the two models', so each is the same weighted mean. */
function compileBlend(model: BlendModel, preprocessing: Preprocessing): CompiledChurnModel {
  const logit = compileChurnModel(model.logit, preprocessing);
  const gbdt = compileChurnModel(model.gbdt, preprocessing);
  const w = model.logitWeight;
  const treeContributions = new Float64Array(gbdt.width);
  return {
    width: logit.width,
    margins: (features, out) => blendMargins(logit.margins(features, out), gbdt.margins(features), w, out),
    baseValue: w * logit.baseValue + (1 - w) * gbdt.baseValue,
    contributions(values, base, out) {
      logit.contributions(values, base, out);
      gbdt.contributions(values, base, treeContributions);
      blendMargins(out, treeContributions, w, out);
    },
  };
}
