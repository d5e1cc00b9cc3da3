// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2), ported from the
// reference implementation in the `shap` package. For every row it gives each feature its
// Shapley value of the margin under the "follow the training covers when a feature is unknown"
// expectation, so expected value + Σ contributions equals the margin exactly (up to rounding).
import { childFor, type CompiledForest } from './forest';

/** The unique feature path of the recursion, one struct-of-arrays stack for all depths. */
interface PathStack {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function pathStack(maxDepth: number): PathStack {
  const size = ((maxDepth + 3) * (maxDepth + 4)) / 2 + maxDepth + 4;
  return { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
}

function extendPath(p: PathStack, at: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  p.weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[at + i + 1] = (p.weight[at + i + 1] as number) + (one * (p.weight[at + i] as number) * (i + 1)) / (depth + 1);
    p.weight[at + i] = (zero * (p.weight[at + i] as number) * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: PathStack, at: number, depth: number, index: number): void {
  const one = p.one[at + index] as number;
  const zero = p.zero[at + index] as number;
  let nextOnePortion = p.weight[at + depth] as number;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const previous = p.weight[at + i] as number;
      p.weight[at + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      nextOnePortion = previous - ((p.weight[at + i] as number) * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[at + i] = ((p.weight[at + i] as number) * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1] as number;
    p.zero[at + i] = p.zero[at + i + 1] as number;
    p.one[at + i] = p.one[at + i + 1] as number;
  }
}

/** Σ of the path weights with element `index` unwound, without changing the path. */
function unwoundPathSum(p: PathStack, at: number, depth: number, index: number): number {
  const one = p.one[at + index] as number;
  const zero = p.zero[at + index] as number;
  let nextOnePortion = p.weight[at + depth] as number;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const share = nextOnePortion / ((i + 1) * one);
      total += share;
      nextOnePortion = (p.weight[at + i] as number) - share * zero * (depth - i);
    } else {
      total += (p.weight[at + i] as number) / (zero * (depth - i));
    }
  }
  return total * (depth + 1);
}

export interface TreeExplainer {
  /** Margin expected over the training covers: the base value of every explanation. */
  expectedValue: number;
  /** Adds each feature's contribution for the row at values[base..] into phi (length = forest width). */
  explain(values: Float64Array, base: number, phi: Float64Array): void;
}

export function treeExplainer(forest: CompiledForest): TreeExplainer {
  const p = pathStack(forest.maxDepth);
  let values: Float64Array = new Float64Array(0);
  let rowBase = 0;
  let phi: Float64Array = new Float64Array(0);

  const recurse = (node: number, depth: number, parentAt: number, parentZero: number, parentOne: number, parentFeature: number): void => {
    const at = parentAt + depth + 1;
    for (let k = 0; k <= depth; k++) {
      p.feature[at + k] = p.feature[parentAt + k] as number;
      p.zero[at + k] = p.zero[parentAt + k] as number;
      p.one[at + k] = p.one[parentAt + k] as number;
      p.weight[at + k] = p.weight[parentAt + k] as number;
    }
    extendPath(p, at, depth, parentZero, parentOne, parentFeature);
    const splitFeature = forest.feature[node] as number;
    if (splitFeature < 0) {
      const leafValue = forest.value[node] as number;
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(p, at, depth, i);
        const f = p.feature[at + i] as number;
        phi[f] = (phi[f] as number) + w * ((p.one[at + i] as number) - (p.zero[at + i] as number)) * leafValue;
      }
      return;
    }
    const hot = childFor(forest, node, values[rowBase + splitFeature] as number);
    const cold = hot === forest.left[node] ? (forest.right[node] as number) : (forest.left[node] as number);
    const cover = forest.cover[node] as number;
    let incomingZero = 1;
    let incomingOne = 1;
    let uniqueDepth = depth;
    // A feature already on the path is undone here and redone with the combined fractions.
    let index = 0;
    while (index <= uniqueDepth && p.feature[at + index] !== splitFeature) index++;
    if (index <= uniqueDepth) {
      incomingZero = p.zero[at + index] as number;
      incomingOne = p.one[at + index] as number;
      unwindPath(p, at, uniqueDepth, index);
      uniqueDepth--;
    }
    recurse(hot, uniqueDepth + 1, at, ((forest.cover[hot] as number) / cover) * incomingZero, incomingOne, splitFeature);
    recurse(cold, uniqueDepth + 1, at, ((forest.cover[cold] as number) / cover) * incomingZero, 0, splitFeature);
  };

  const treeExpectation = (node: number): number => {
    if ((forest.feature[node] as number) < 0) return forest.value[node] as number;
    const cover = forest.cover[node] as number;
    const left = forest.left[node] as number;
    const right = forest.right[node] as number;
    return ((forest.cover[left] as number) * treeExpectation(left) + (forest.cover[right] as number) * treeExpectation(right)) / cover;
  };

  let expectedValue = forest.baseMargin;
  for (const root of forest.roots) expectedValue += treeExpectation(root);

  return {
    expectedValue,
    explain(rowValues, base, out) {
      values = rowValues;
      rowBase = base;
      phi = out;
      for (const root of forest.roots) recurse(root, 0, 0, 1, 1, -1);
    },
  };
}
