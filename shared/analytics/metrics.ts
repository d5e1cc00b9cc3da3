// Quality measures of a churn score, computed as scikit-learn computes them so figures compare
// with the published references: ROC AUC (ties count one half), average precision (step-wise,
// no interpolation), log loss, Brier score and the lift of the top-scored decile.
export { stratifiedKFold, stratifiedSplit } from './sampling';

export interface ClassificationMetrics {
  auc: number;
  pr_auc: number;
  log_loss: number;
  brier: number;
  top_decile_lift: number;
  rows: number;
  positives: number;
}

type Scores = Float64Array | readonly number[];

function countPositives(labels: Uint8Array): number {
  let positives = 0;
  for (const label of labels) positives += label;
  return positives;
}

function checkSameLength(scores: Scores, labels: Uint8Array): void {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores for ${labels.length} labels`);
  if (labels.length === 0) throw new RangeError('no rows to measure');
}

/** Row indices by descending score; equal scores keep row order (ties are grouped by the callers). */
function orderByScoreDescending(scores: Scores): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

/** Area under the ROC curve (Mann–Whitney with mid-ranks for ties); NaN when only one class. */
export function rocAuc(scores: Scores, labels: Uint8Array): number {
  checkSameLength(scores, labels);
  const positives = countPositives(labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  const order = orderByScoreDescending(scores);
  // Walk from the top; a positive beats every negative below it, and half of a tied group.
  let negativesAbove = 0;
  let wins = 0;
  for (let start = 0; start < order.length;) {
    const score = scores[order[start] as number] as number;
    let end = start;
    let groupPositives = 0;
    while (end < order.length && scores[order[end] as number] === score) groupPositives += labels[order[end++] as number] as number;
    const groupNegatives = end - start - groupPositives;
    wins += groupPositives * (negatives - negativesAbove - groupNegatives) + 0.5 * groupPositives * groupNegatives;
    negativesAbove += groupNegatives;
    start = end;
  }
  return wins / (positives * negatives);
}

/** Average precision: Σ (recallₙ − recallₙ₋₁) · precisionₙ over distinct score thresholds. */
export function averagePrecision(scores: Scores, labels: Uint8Array): number {
  checkSameLength(scores, labels);
  const positives = countPositives(labels);
  if (positives === 0) return Number.NaN;
  const order = orderByScoreDescending(scores);
  let truePositives = 0;
  let flagged = 0;
  let previousRecall = 0;
  let area = 0;
  for (let start = 0; start < order.length;) {
    const score = scores[order[start] as number] as number;
    let end = start;
    while (end < order.length && scores[order[end] as number] === score) truePositives += labels[order[end++] as number] as number;
    flagged = end;
    const recall = truePositives / positives;
    area += (recall - previousRecall) * (truePositives / flagged);
    previousRecall = recall;
    start = end;
  }
  return area;
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(probabilities: Scores, labels: Uint8Array): number {
  checkSameLength(probabilities, labels);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i] as number));
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / labels.length;
}

export function brierScore(probabilities: Scores, labels: Uint8Array): number {
  checkSameLength(probabilities, labels);
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += ((probabilities[i] as number) - (labels[i] as number)) ** 2;
  return total / labels.length;
}

/** Churn rate among the highest-scored 10 % (rounded up) over the overall churn rate. */
export function topDecileLift(scores: Scores, labels: Uint8Array): number {
  checkSameLength(scores, labels);
  const positives = countPositives(labels);
  if (positives === 0) return Number.NaN;
  const order = orderByScoreDescending(scores);
  const top = Math.ceil(labels.length / 10);
  let topPositives = 0;
  for (let k = 0; k < top; k++) topPositives += labels[order[k] as number] as number;
  return topPositives / top / (positives / labels.length);
}

export function classificationMetrics(probabilities: Scores, labels: Uint8Array): ClassificationMetrics {
  return {
    auc: rocAuc(probabilities, labels),
    pr_auc: averagePrecision(probabilities, labels),
    log_loss: logLoss(probabilities, labels),
    brier: brierScore(probabilities, labels),
    top_decile_lift: topDecileLift(probabilities, labels),
    rows: labels.length,
    positives: countPositives(labels),
  };
}
