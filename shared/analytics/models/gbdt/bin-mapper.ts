// Histogram gradient boosting works on small integer bins: numeric columns are cut at up to
// maxBins − 1 quantile edges, categorical codes are their own bins, and bin 255 holds the
// missing values. A split "bin ≤ b" is stored as the raw threshold "x ≤ upperEdge[b]", the same
// comparison binning uses, so scoring raw values routes rows exactly as training did.
import type { FeatureMatrix } from '../../dataset/feature-matrix';

export const MISSING_BIN = 255;
export const BIN_SLOTS = 256;
/** Stands for "+∞" in thresholds and survives JSON (Infinity would not). */
export const TOP_EDGE = Number.MAX_VALUE;

export interface BinnedData {
  rows: number;
  features: number;
  /** Column-major: bins[f·rows + i]. */
  bins: Uint8Array;
  /** Non-missing bins of each feature (categorical: level codes + "other"). */
  binCount: Int32Array;
  /** Numeric features: the inclusive upper edge of every bin, last one TOP_EDGE; categorical: empty. */
  upperEdges: Float64Array[];
  isCategorical: Uint8Array;
}

function columnValues(features: FeatureMatrix, f: number): Float64Array {
  const values: number[] = [];
  for (let i = 0; i < features.rows; i++) {
    const x = features.values[i * features.width + f] as number;
    if (!Number.isNaN(x)) values.push(x);
  }
  return Float64Array.from(values).sort();
}

/** Upper edges: midpoints between distinct values when few, else midpoint quantiles. */
export function quantileUpperEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct: number[] = [];
  for (const x of sorted) if (distinct.length === 0 || distinct[distinct.length - 1] !== x) distinct.push(x);
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let k = 1; k < distinct.length; k++) edges.push(((distinct[k - 1] as number) + (distinct[k] as number)) / 2);
  } else {
    for (let k = 1; k < maxBins; k++) {
      const position = (k / maxBins) * (sorted.length - 1);
      const edge = ((sorted[Math.floor(position)] as number) + (sorted[Math.ceil(position)] as number)) / 2;
      if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
    }
  }
  edges.push(TOP_EDGE);
  return Float64Array.from(edges);
}

function binOf(edges: Float64Array, x: number): number {
  let low = 0;
  let high = edges.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (x <= (edges[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Fits the edges on `features` and bins them; `categoryCount[f]` is levels + 1 for categorical columns. */
export function binFeatures(features: FeatureMatrix, isCategorical: Uint8Array, categoryCount: Int32Array, maxBins: number): BinnedData {
  const { rows, width } = features;
  const bins = new Uint8Array(rows * width);
  const binCount = new Int32Array(width);
  const upperEdges: Float64Array[] = [];
  for (let f = 0; f < width; f++) {
    const categorical = isCategorical[f] === 1;
    const edges = categorical ? new Float64Array(0) : quantileUpperEdges(columnValues(features, f), Math.min(maxBins, MISSING_BIN));
    upperEdges.push(edges);
    binCount[f] = categorical ? (categoryCount[f] as number) : edges.length;
    for (let i = 0; i < rows; i++) {
      const x = features.values[i * width + f] as number;
      bins[f * rows + i] = Number.isNaN(x) ? MISSING_BIN : categorical ? Math.min(x, (binCount[f] as number) - 1) : binOf(edges, x);
    }
  }
  return { rows, features: width, bins, binCount, upperEdges, isCategorical };
}
