import { describe, expect, it } from 'vitest';
import { toCsvTable } from '../../shared/analytics/dataset/csv-table';
import { readFeatureMatrix } from '../../shared/analytics/dataset/feature-matrix';
import { compileChurnModel } from '../../shared/analytics/models/churn-model';
import { childFor, compileForest, leafFor, type CompiledForest } from '../../shared/analytics/models/gbdt/forest';
import type { TreeNodes } from '../../shared/analytics/models/gbdt/tree';
import { treeExplainer } from '../../shared/analytics/models/gbdt/tree-shap';
import { trainChurnModel } from '../../shared/analytics/train-churn-model';
import { mixedRows, TRAIN_DEFAULTS } from './churn-fixtures';

// Feature 0 is split twice on one path, feature 2 is categorical (codes 1 and 3 go left),
// missing values take explicit directions; covers are unequal so the expectations matter.
const TINY_TREE: TreeNodes = {
  feature: [0, 1, 2, -1, 0, -1, -1, -1, -1],
  threshold: [0.5, 10, 0, 0, -1, 0, 0, 0, 0],
  categoriesLeft: [[], [], [1, 3], [], [], [], [], [], []],
  missingLeft: [true, false, true, false, false, false, false, false, false],
  left: [1, 3, 5, -1, 7, -1, -1, -1, -1],
  right: [2, 4, 6, -1, 8, -1, -1, -1, -1],
  value: [0, 0, 0, 1.5, 0, -0.7, 2.2, 0.3, -1.1],
  cover: [100, 60, 40, 25, 35, 10, 30, 15, 20],
};
const FEATURES = 3;

/** E[f(x) | the features in `known` are x's] under the covers: Lundberg's EXPVALUE. */
function conditionalExpectation(forest: CompiledForest, x: Float64Array, known: Set<number>, node: number): number {
  const feature = forest.feature[node] as number;
  if (feature < 0) return forest.value[node] as number;
  const left = forest.left[node] as number;
  const right = forest.right[node] as number;
  if (known.has(feature)) return conditionalExpectation(forest, x, known, childFor(forest, node, x[feature] as number));
  const cover = forest.cover[node] as number;
  return (
    ((forest.cover[left] as number) * conditionalExpectation(forest, x, known, left) +
      (forest.cover[right] as number) * conditionalExpectation(forest, x, known, right)) /
    cover
  );
}

function bruteForceShapley(forest: CompiledForest, x: Float64Array): Float64Array {
  const phi = new Float64Array(FEATURES);
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const root = forest.roots[0] as number;
  for (let i = 0; i < FEATURES; i++) {
    const others = [...Array(FEATURES).keys()].filter((j) => j !== i);
    for (let mask = 0; mask < 1 << others.length; mask++) {
      const subset = new Set(others.filter((_, k) => (mask >> k) & 1));
      const weight = (factorial(subset.size) * factorial(FEATURES - subset.size - 1)) / factorial(FEATURES);
      const withI = conditionalExpectation(forest, x, new Set([...subset, i]), root);
      phi[i] = (phi[i] as number) + weight * (withI - conditionalExpectation(forest, x, subset, root));
    }
  }
  return phi;
}

describe('TreeSHAP (exact, path-dependent)', () => {
  const forest = compileForest(0, [TINY_TREE], FEATURES);
  const explainer = treeExplainer(forest);
  const rows = [
    [0.2, 5, 1],
    [0.2, 50, 2],
    [0.9, 50, 3],
    [0.9, 5, 0],
    [Number.NaN, 50, Number.NaN],
    [0.7, Number.NaN, 1],
  ];
  it.each(rows)('equals brute-force Shapley values on a tiny tree for row (%s, %s, %s)', (...cells) => {
    const x = Float64Array.from(cells);
    const phi = new Float64Array(FEATURES);
    explainer.explain(x, 0, phi);
    const expected = bruteForceShapley(forest, x);
    for (let j = 0; j < FEATURES; j++) expect(Math.abs((phi[j] as number) - (expected[j] as number))).toBeLessThan(1e-12);
    const margin = forest.value[leafFor(forest, 0, x, 0)] as number;
    expect(Math.abs(explainer.expectedValue + phi.reduce((a, b) => a + b, 0) - margin)).toBeLessThan(1e-12);
  });

  it('is additive on a trained ensemble and on logit: base + Σ contributions = margin (1e-9)', () => {
    const rows = mixedRows(1500, 21);
    for (const algo of ['gbdt', 'logit'] as const) {
      const model = trainChurnModel(rows, { algo, target: 'churn', positive: 'Yes', idColumn: 'id', folds: 2, ...TRAIN_DEFAULTS });
      const compiled = compileChurnModel(model.model, model.preprocessing);
      const features = readFeatureMatrix(toCsvTable(rows), model.preprocessing, 'reject');
      const margins = compiled.margins(features);
      const phi = new Float64Array(features.width);
      let worst = 0;
      for (let i = 0; i < features.rows; i++) {
        compiled.contributions(features.values, i * features.width, phi);
        worst = Math.max(worst, Math.abs(compiled.baseValue + phi.reduce((a, b) => a + b, 0) - (margins[i] as number)));
      }
      expect(worst).toBeLessThan(1e-9);
    }
  });
});
