// The trees flattened into typed arrays for fast scoring: one set of node arrays for the whole
// ensemble, categorical left-sets as 256-bit masks. `childFor` is the single routing rule that
// scoring, validation during training and TreeSHAP all use.
import type { FeatureMatrix } from '../../dataset/feature-matrix';
import type { TreeNodes } from './tree';

export interface CompiledForest {
  baseMargin: number;
  /** Width of the feature rows the forest reads. */
  width: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  /** Start of the node's 8-word category mask in `masks`, −1 for numeric splits and leaves. */
  maskStart: Int32Array;
  masks: Uint32Array;
  value: Float64Array;
  cover: Float64Array;
  /** Deepest leaf (root = depth 0), to size TreeSHAP's path buffers. */
  maxDepth: number;
}

const MASK_WORDS = 8;

export function compileForest(baseMargin: number, trees: readonly TreeNodes[], width: number): CompiledForest {
  const nodes = trees.reduce((n, tree) => n + tree.feature.length, 0);
  const categoricalNodes = trees.reduce((n, tree) => n + tree.categoriesLeft.filter((codes, k) => tree.feature[k] !== -1 && codes.length > 0).length, 0);
  const forest: CompiledForest = {
    baseMargin,
    width,
    roots: new Int32Array(trees.length),
    feature: new Int32Array(nodes),
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    missingLeft: new Uint8Array(nodes),
    maskStart: new Int32Array(nodes).fill(-1),
    masks: new Uint32Array(categoricalNodes * MASK_WORDS),
    value: new Float64Array(nodes),
    cover: new Float64Array(nodes),
    maxDepth: 0,
  };
  let offset = 0;
  let maskCursor = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = offset;
    const depth = new Int32Array(tree.feature.length);
    tree.feature.forEach((feature, k) => {
      const at = offset + k;
      forest.feature[at] = feature;
      forest.threshold[at] = tree.threshold[k] as number;
      forest.missingLeft[at] = tree.missingLeft[k] ? 1 : 0;
      forest.value[at] = tree.value[k] as number;
      forest.cover[at] = tree.cover[k] as number;
      if (feature === -1) {
        forest.left[at] = forest.right[at] = -1;
        forest.maxDepth = Math.max(forest.maxDepth, depth[k] as number);
        return;
      }
      const left = tree.left[k] as number;
      const right = tree.right[k] as number;
      forest.left[at] = offset + left;
      forest.right[at] = offset + right;
      depth[left] = depth[right] = (depth[k] as number) + 1;
      const codes = tree.categoriesLeft[k] as number[];
      if (codes.length > 0) {
        forest.maskStart[at] = maskCursor;
        for (const code of codes) forest.masks[maskCursor + (code >>> 5)] = (forest.masks[maskCursor + (code >>> 5)] as number) | (1 << (code & 31));
        maskCursor += MASK_WORDS;
      }
    });
    offset += tree.feature.length;
  });
  return forest;
}

/** The child a value x (NaN = missing) is routed to at internal node `node`. */
export function childFor(forest: CompiledForest, node: number, x: number): number {
  if (x !== x) return forest.missingLeft[node] === 1 ? (forest.left[node] as number) : (forest.right[node] as number);
  const mask = forest.maskStart[node] as number;
  if (mask < 0) return x <= (forest.threshold[node] as number) ? (forest.left[node] as number) : (forest.right[node] as number);
  const code = x | 0;
  const inLeft = code >= 0 && code < 256 && ((forest.masks[mask + (code >>> 5)] as number) >>> (code & 31)) & 1;
  return inLeft ? (forest.left[node] as number) : (forest.right[node] as number);
}

/** The leaf of tree `t` that a row (starting at values[base]) falls into. */
export function leafFor(forest: CompiledForest, t: number, values: Float64Array, base: number): number {
  let node = forest.roots[t] as number;
  let feature = forest.feature[node] as number;
  while (feature >= 0) {
    node = childFor(forest, node, values[base + feature] as number);
    feature = forest.feature[node] as number;
  }
  return node;
}

export function forestMargins(forest: CompiledForest, features: FeatureMatrix, out: Float64Array = new Float64Array(features.rows)): Float64Array {
  const { values, width } = features;
  const trees = forest.roots.length;
  for (let i = 0; i < features.rows; i++) {
    let margin = forest.baseMargin;
    const base = i * width;
    for (let t = 0; t < trees; t++) margin += forest.value[leafFor(forest, t, values, base)] as number;
    out[i] = margin;
  }
  return out;
}
