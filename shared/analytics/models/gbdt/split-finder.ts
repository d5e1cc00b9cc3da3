// The best split of a node from its histogram, scored by the second-order gain
// G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Numeric features try every bin edge with the missing
// values on either side; categorical features order their levels by G/(H+smoothing) and try
// prefixes of that order (the LightGBM/scikit-learn method), so no one-hot is needed.
import { BIN_SLOTS, MISSING_BIN, type BinnedData } from './bin-mapper';
import { SLOT } from './histogram';

export interface NodeStats {
  gradient: number;
  hessian: number;
  count: number;
}

export interface SplitRules {
  minSamplesLeaf: number;
  l2: number;
  /** Categories need this many rows in the node to be placed deliberately; the rest go right. */
  categoryMinSupport: number;
  categorySmoothing: number;
}

export interface Split {
  gain: number;
  feature: number;
  /** Numeric: rows with bin ≤ this go left. */
  bin: number;
  /** Categorical: 1 for every bin (0..254) that goes left. */
  leftBins: Uint8Array | null;
  missingLeft: boolean;
  left: NodeStats;
  right: NodeStats;
}

const MIN_HESSIAN = 1e-3;
const MIN_GAIN = 1e-12;

export function findBestSplit(data: BinnedData, histogram: Float64Array, total: NodeStats, rules: SplitRules): Split | null {
  const { l2 } = rules;
  const parentScore = (total.gradient * total.gradient) / (total.hessian + l2);
  let best: Split | null = null;

  /** Records the candidate when it beats the best so far; says whether it did. */
  const consider = (feature: number, leftG: number, leftH: number, leftN: number, missingLeft: boolean | null, bin: number): boolean => {
    const rightG = total.gradient - leftG;
    const rightH = total.hessian - leftH;
    const rightN = total.count - leftN;
    if (leftN < rules.minSamplesLeaf || rightN < rules.minSamplesLeaf || leftH < MIN_HESSIAN || rightH < MIN_HESSIAN) return false;
    const gain = (leftG * leftG) / (leftH + l2) + (rightG * rightG) / (rightH + l2) - parentScore;
    if (gain <= MIN_GAIN || (best !== null && gain <= best.gain)) return false;
    best = {
      gain,
      feature,
      bin,
      leftBins: null,
      // A node without missing values sends future ones to the larger side.
      missingLeft: missingLeft ?? leftN >= rightN,
      left: { gradient: leftG, hessian: leftH, count: leftN },
      right: { gradient: rightG, hessian: rightH, count: rightN },
    };
    return true;
  };

  for (let f = 0; f < data.features; f++) {
    const base = f * BIN_SLOTS * SLOT;
    const missingSlot = base + MISSING_BIN * SLOT;
    const missingG = histogram[missingSlot] as number;
    const missingH = histogram[missingSlot + 1] as number;
    const missingN = histogram[missingSlot + 2] as number;
    const bins = data.binCount[f] as number;
    if (data.isCategorical[f] === 1) {
      considerCategorical(histogram, base, bins, missingN > 0, rules, (g, h, n, missingLeft, leftBins) => {
        if (consider(f, g, h, n, missingLeft, -1)) (best as Split).leftBins = leftBins();
      });
      continue;
    }
    let g = 0;
    let h = 0;
    let n = 0;
    const hasMissing = missingN > 0;
    // Missing values go right; the last edge separates "all present" from "missing".
    for (let b = 0; b < (hasMissing ? bins : bins - 1); b++) {
      const slot = base + b * SLOT;
      g += histogram[slot] as number;
      h += histogram[slot + 1] as number;
      n += histogram[slot + 2] as number;
      consider(f, g, h, n, hasMissing ? false : null, b);
    }
    if (!hasMissing) continue;
    // Missing values go left.
    g = missingG;
    h = missingH;
    n = missingN;
    for (let b = 0; b < bins - 1; b++) {
      const slot = base + b * SLOT;
      g += histogram[slot] as number;
      h += histogram[slot + 1] as number;
      n += histogram[slot + 2] as number;
      consider(f, g, h, n, true, b);
    }
  }
  return best;
}

/** leftBins is only materialised for the candidate that wins. */
type CategoricalCandidate = (g: number, h: number, n: number, missingLeft: boolean | null, leftBins: () => Uint8Array) => void;

function considerCategorical(
  histogram: Float64Array,
  base: number,
  bins: number,
  hasMissing: boolean,
  rules: SplitRules,
  candidate: CategoricalCandidate,
): void {
  const supported: number[] = [];
  for (let b = 0; b < bins; b++) if ((histogram[base + b * SLOT + 2] as number) >= rules.categoryMinSupport) supported.push(b);
  if (hasMissing && (histogram[base + MISSING_BIN * SLOT + 2] as number) >= rules.categoryMinSupport) supported.push(MISSING_BIN);
  if (supported.length < 2) return;
  const ratio = (b: number) => (histogram[base + b * SLOT] as number) / ((histogram[base + b * SLOT + 1] as number) + rules.categorySmoothing);
  supported.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const longestPrefix = (supported.length + 1) >> 1;
  for (const order of [supported, [...supported].reverse()]) {
    let g = 0;
    let h = 0;
    let n = 0;
    let missingInPrefix = false;
    for (let k = 0; k < Math.min(longestPrefix, order.length - 1); k++) {
      const b = order[k] as number;
      missingInPrefix ||= b === MISSING_BIN;
      g += histogram[base + b * SLOT] as number;
      h += histogram[base + b * SLOT + 1] as number;
      n += histogram[base + b * SLOT + 2] as number;
      const leftBins = () => {
        const bins = new Uint8Array(BIN_SLOTS);
        for (let m = 0; m <= k; m++) bins[order[m] as number] = 1;
        return bins;
      };
      candidate(g, h, n, hasMissing ? missingInPrefix : null, leftBins);
    }
  }
}
