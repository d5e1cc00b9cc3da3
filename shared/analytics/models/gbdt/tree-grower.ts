// Grows one tree best-first (the leaf with the largest gain splits next, as scikit-learn's
// HistGradientBoosting does) until maxLeafNodes, maxDepth or no split gains anything.
import { BIN_SLOTS, MISSING_BIN, type BinnedData } from './bin-mapper';
import { buildHistogram, subtractHistogram, type HistogramPool } from './histogram';
import { findBestSplit, type NodeStats, type Split, type SplitRules } from './split-finder';
import type { TreeNodes } from './tree';

export interface TreeShape extends SplitRules {
  maxLeafNodes: number;
  /** Infinity for no limit. */
  maxDepth: number;
  learningRate: number;
}

interface OpenNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  stats: NodeStats;
  histogram: Float64Array | null;
  split: Split | null;
}

export interface GrownTree {
  tree: TreeNodes;
  /** rowOrder[start, end) of every leaf, with its value, to update the training margins. */
  leaves: { start: number; end: number; value: number }[];
}

/** rowOrder lists the rows the tree learns from; it is permuted in place. */
export function growTree(
  data: BinnedData,
  gradients: Float64Array,
  hessians: Float64Array,
  rowOrder: Uint32Array,
  shape: TreeShape,
  pool: HistogramPool,
): GrownTree {
  const tree: TreeNodes = { feature: [], threshold: [], categoriesLeft: [], missingLeft: [], left: [], right: [], value: [], cover: [] };
  const leafValue = (stats: NodeStats) => (-shape.learningRate * stats.gradient) / (stats.hessian + shape.l2);
  const scratch = new Uint32Array(rowOrder.length);
  const open: OpenNode[] = [];

  const openNode = (start: number, end: number, depth: number, stats: NodeStats, histogram: Float64Array): number => {
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.categoriesLeft.push([]);
    tree.missingLeft.push(false);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(leafValue(stats));
    tree.cover.push(stats.count);
    const splittable = depth < shape.maxDepth && stats.count >= 2 * shape.minSamplesLeaf;
    const split = splittable ? findBestSplit(data, histogram, stats, shape) : null;
    if (!split) pool.give(histogram);
    open.push({ id, start, end, depth, stats, histogram: split ? histogram : null, split });
    return id;
  };

  const rootHistogram = pool.take();
  buildHistogram(data, rowOrder, 0, rowOrder.length, gradients, hessians, rootHistogram);
  const rootStats: NodeStats = { gradient: 0, hessian: 0, count: rowOrder.length };
  for (const i of rowOrder) {
    rootStats.gradient += gradients[i] as number;
    rootStats.hessian += hessians[i] as number;
  }
  openNode(0, rowOrder.length, 0, rootStats, rootHistogram);

  for (let leaves = 1; leaves < shape.maxLeafNodes; leaves++) {
    let bestAt = -1;
    open.forEach((node, k) => {
      if (node.split && (bestAt < 0 || node.split.gain > (open[bestAt]?.split?.gain ?? 0))) bestAt = k;
    });
    if (bestAt < 0) break;
    const node = open.splice(bestAt, 1)[0] as OpenNode;
    const split = node.split as Split;
    const middle = partition(data, rowOrder, scratch, node.start, node.end, split);
    // Scan the smaller child; the parent's buffer minus it is the larger child's histogram.
    const parentHistogram = node.histogram as Float64Array;
    const smallHistogram = pool.take();
    const leftIsSmaller = middle - node.start <= node.end - middle;
    if (leftIsSmaller) buildHistogram(data, rowOrder, node.start, middle, gradients, hessians, smallHistogram);
    else buildHistogram(data, rowOrder, middle, node.end, gradients, hessians, smallHistogram);
    subtractHistogram(parentHistogram, smallHistogram);
    const [leftHistogram, rightHistogram] = leftIsSmaller ? [smallHistogram, parentHistogram] : [parentHistogram, smallHistogram];
    const leftId = openNode(node.start, middle, node.depth + 1, split.left, leftHistogram);
    const rightId = openNode(middle, node.end, node.depth + 1, split.right, rightHistogram);
    recordSplit(tree, node.id, split, data, leftId, rightId);
  }
  for (const node of open) if (node.histogram) pool.give(node.histogram);
  return { tree, leaves: open.map((node) => ({ start: node.start, end: node.end, value: tree.value[node.id] as number })) };
}

function goesLeft(split: Split, bin: number, isCategorical: boolean): boolean {
  if (bin === MISSING_BIN) return split.missingLeft;
  return isCategorical ? (split.leftBins as Uint8Array)[bin] === 1 : bin <= split.bin;
}

/** Stable partition of rowOrder[start, end): left rows first; returns where the right rows begin. */
function partition(data: BinnedData, rowOrder: Uint32Array, scratch: Uint32Array, start: number, end: number, split: Split): number {
  const column = split.feature * data.rows;
  const categorical = data.isCategorical[split.feature] === 1;
  let left = start;
  let right = 0;
  for (let k = start; k < end; k++) {
    const i = rowOrder[k] as number;
    if (goesLeft(split, data.bins[column + i] as number, categorical)) rowOrder[left++] = i;
    else scratch[right++] = i;
  }
  rowOrder.set(scratch.subarray(0, right), left);
  return left;
}

function recordSplit(tree: TreeNodes, id: number, split: Split, data: BinnedData, leftId: number, rightId: number): void {
  tree.feature[id] = split.feature;
  tree.left[id] = leftId;
  tree.right[id] = rightId;
  tree.missingLeft[id] = split.missingLeft;
  if (split.leftBins) {
    const codes: number[] = [];
    for (let b = 0; b < BIN_SLOTS - 1; b++) if (split.leftBins[b] === 1) codes.push(b);
    tree.categoriesLeft[id] = codes;
  } else {
    tree.threshold[id] = (data.upperEdges[split.feature] as Float64Array)[split.bin] as number;
  }
}
