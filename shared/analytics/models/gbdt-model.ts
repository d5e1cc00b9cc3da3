// The gradient-boosted-trees churn model as stored in the artefact, and how it is fitted from
// the feature matrix: categorical columns are split natively on their level codes.
import { z } from 'zod';
import type { FeatureMatrix } from '../dataset/feature-matrix';
import type { Preprocessing } from '../dataset/preprocessing';
import { compileForest, type CompiledForest } from './gbdt/forest';
import { fitGradientBoosting, GbdtParameters } from './gbdt/gradient-boosting';
import { TreeNodes } from './gbdt/tree';

export { DEFAULT_GBDT_PARAMETERS, GbdtParameters } from './gbdt/gradient-boosting';

export const GbdtModel = z.object({
  algo: z.literal('gbdt'),
  parameters: GbdtParameters,
  baseMargin: z.number(),
  trees: z.array(TreeNodes).min(1),
  /** Log loss on the early-stopping slice at the kept iteration. */
  earlyStoppingLoss: z.number().nullable(),
});
export type GbdtModel = z.infer<typeof GbdtModel>;

export function fitGbdtModel(
  features: FeatureMatrix,
  labels: Uint8Array,
  weights: Float64Array | null,
  preprocessing: Preprocessing,
  parameters: GbdtParameters,
): GbdtModel {
  const specs = preprocessing.columns;
  const isCategorical = Uint8Array.from(specs, (spec) => (spec.type === 'categorical' ? 1 : 0));
  const categoryCount = Int32Array.from(specs, (spec) => (spec.type === 'categorical' ? spec.levels.length + 1 : 0));
  const ensemble = fitGradientBoosting(features, labels, weights, isCategorical, categoryCount, parameters);
  return { algo: 'gbdt', parameters, baseMargin: ensemble.baseMargin, trees: ensemble.trees, earlyStoppingLoss: ensemble.validationLoss };
}

export function compileGbdt(model: GbdtModel, preprocessing: Preprocessing): CompiledForest {
  return compileForest(model.baseMargin, model.trees, preprocessing.columns.length);
}
