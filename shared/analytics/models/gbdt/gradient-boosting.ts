// Binary log-loss gradient boosting over histogram-binned features, with early stopping on a
// seeded, stratified slice of the training rows: the slice never trains a tree, and the
// ensemble is cut back to the iteration with the lowest loss on it.
import { z } from 'zod';
import { selectLabels, selectRows, type FeatureMatrix } from '../../dataset/feature-matrix';
import { logLoss } from '../../metrics';
import { stratifiedSplit } from '../../sampling';
import { logOdds, sigmoid } from '../sigmoid';
import { binFeatures, MISSING_BIN } from './bin-mapper';
import { compileForest, forestMargins } from './forest';
import type { TreeNodes } from './tree';
import { growTree } from './tree-grower';
import { HistogramPool, histogramSize } from './histogram';

export const GbdtParameters = z.object({
  learningRate: z.number().positive().max(1),
  maxIterations: z.number().int().positive(),
  maxLeafNodes: z.number().int().min(2),
  maxDepth: z.number().int().positive().nullable(),
  minSamplesLeaf: z.number().int().positive(),
  l2Regularization: z.number().nonnegative(),
  maxBins: z.number().int().min(2).max(MISSING_BIN),
  categoryMinSupport: z.number().nonnegative(),
  categorySmoothing: z.number().nonnegative(),
  /** Share of the training rows held out for early stopping; 0 switches it off. */
  validationFraction: z.number().min(0).max(0.5),
  nIterNoChange: z.number().int().positive(),
  tolerance: z.number().nonnegative(),
  seed: z.number().int(),
});
export type GbdtParameters = z.infer<typeof GbdtParameters>;

/** Smaller steps, fewer and fuller leaves than scikit-learn's defaults: churn tables have a few thousand rows. */
export const DEFAULT_GBDT_PARAMETERS: GbdtParameters = {
  learningRate: 0.05,
  maxIterations: 500,
  maxLeafNodes: 15,
  maxDepth: null,
  minSamplesLeaf: 30,
  l2Regularization: 1,
  maxBins: 255,
  categoryMinSupport: 10,
  categorySmoothing: 10,
  validationFraction: 0.1,
  nIterNoChange: 10,
  tolerance: 1e-7,
  seed: 0,
};

export interface BoostedEnsemble {
  baseMargin: number;
  trees: TreeNodes[];
  /** Held-out log loss at the kept iteration; null without early stopping. */
  validationLoss: number | null;
}

/** Early stopping needs a slice with both classes in it. */
const MIN_ROWS_FOR_EARLY_STOPPING = 100;

export function fitGradientBoosting(
  features: FeatureMatrix,
  labels: Uint8Array,
  weights: Float64Array | null,
  isCategorical: Uint8Array,
  categoryCount: Int32Array,
  parameters: GbdtParameters,
): BoostedEnsemble {
  const holdOut = parameters.validationFraction > 0 && features.rows >= MIN_ROWS_FOR_EARLY_STOPPING;
  const split = holdOut ? stratifiedSplit(labels, parameters.validationFraction, parameters.seed) : null;
  const fitRows = split ? selectRows(features, split.train) : features;
  const fitLabels = split ? selectLabels(labels, split.train) : labels;
  const fitWeights = split && weights ? Float64Array.from(split.train, (i) => weights[i] as number) : weights;
  const validation = split ? { features: selectRows(features, split.test), labels: selectLabels(labels, split.test) } : null;

  const data = binFeatures(fitRows, isCategorical, categoryCount, parameters.maxBins);
  const n = fitRows.rows;
  const weightOf = (i: number) => (fitWeights ? (fitWeights[i] as number) : 1);
  let positiveWeight = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    positiveWeight += weightOf(i) * (fitLabels[i] as number);
    totalWeight += weightOf(i);
  }
  const baseMargin = logOdds(positiveWeight / totalWeight);
  const margins = new Float64Array(n).fill(baseMargin);
  const gradients = new Float64Array(n);
  const hessians = new Float64Array(n);
  const rowOrder = new Uint32Array(n);
  const validationMargins = validation ? new Float64Array(validation.labels.length).fill(baseMargin) : null;
  // One tree's margins, then reused for the probabilities the loss needs.
  const scratch = validation ? new Float64Array(validation.labels.length) : null;
  const shape = {
    maxLeafNodes: parameters.maxLeafNodes,
    maxDepth: parameters.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesLeaf: parameters.minSamplesLeaf,
    l2: parameters.l2Regularization,
    learningRate: parameters.learningRate,
    categoryMinSupport: parameters.categoryMinSupport,
    categorySmoothing: parameters.categorySmoothing,
  };

  const pool = new HistogramPool(histogramSize(data.features));
  const trees: TreeNodes[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestCount = 0;
  for (let iteration = 0; iteration < parameters.maxIterations; iteration++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margins[i] as number);
      const w = weightOf(i);
      gradients[i] = w * (p - (fitLabels[i] as number));
      hessians[i] = w * p * (1 - p);
      rowOrder[i] = i;
    }
    const grown = growTree(data, gradients, hessians, rowOrder, shape, pool);
    trees.push(grown.tree);
    for (const leaf of grown.leaves)
      for (let k = leaf.start; k < leaf.end; k++) margins[rowOrder[k] as number] = (margins[rowOrder[k] as number] as number) + leaf.value;
    if (!validation || !validationMargins || !scratch) continue;
    forestMargins(compileForest(0, [grown.tree], features.width), validation.features, scratch);
    for (let k = 0; k < scratch.length; k++) validationMargins[k] = (validationMargins[k] as number) + (scratch[k] as number);
    for (let k = 0; k < scratch.length; k++) scratch[k] = sigmoid(validationMargins[k] as number);
    const loss = logLoss(scratch, validation.labels);
    if (loss < bestLoss - parameters.tolerance) {
      bestLoss = loss;
      bestCount = trees.length;
    } else if (trees.length - bestCount >= parameters.nIterNoChange) {
      break;
    }
    if (grown.tree.feature.length === 1) break; // a stump that cannot split: nothing left to learn
  }
  return validation ? { baseMargin, trees: trees.slice(0, Math.max(1, bestCount)), validationLoss: bestLoss } : { baseMargin, trees, validationLoss: null };
}
