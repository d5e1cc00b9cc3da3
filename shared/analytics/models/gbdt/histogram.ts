// Per-node gradient histograms: for every feature and bin, the sum of gradients, hessians and
// the row count. A child's histogram is its parent's minus its sibling's, so only the smaller
// child is ever scanned.
import { BIN_SLOTS, type BinnedData } from './bin-mapper';

/** Three slots per bin: gradient, hessian, count. */
export const SLOT = 3;

export const histogramSize = (features: number) => features * BIN_SLOTS * SLOT;

export function buildHistogram(
  data: BinnedData,
  rowOrder: Uint32Array,
  start: number,
  end: number,
  gradients: Float64Array,
  hessians: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  const { rows } = data;
  for (let f = 0; f < data.features; f++) {
    const column = f * rows;
    const base = f * BIN_SLOTS * SLOT;
    for (let k = start; k < end; k++) {
      const i = rowOrder[k] as number;
      const slot = base + (data.bins[column + i] as number) * SLOT;
      out[slot] = (out[slot] as number) + (gradients[i] as number);
      out[slot + 1] = (out[slot + 1] as number) + (hessians[i] as number);
      out[slot + 2] = (out[slot + 2] as number) + 1;
    }
  }
}

/** parent ← parent − child, in place (the parent's buffer becomes the sibling's histogram). */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let k = 0; k < parent.length; k++) parent[k] = (parent[k] as number) - (child[k] as number);
}

/** Reuses histogram buffers across nodes and trees (they are large and short-lived). */
export class HistogramPool {
  private readonly free: Float64Array[] = [];
  constructor(private readonly size: number) {}
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.size);
  }
  give(histogram: Float64Array): void {
    this.free.push(histogram);
  }
}
