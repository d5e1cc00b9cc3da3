// Cross-validated model selection. Every candidate of a small grid (both families; a few depths,
// learning rates, leaf counts and L2 penalties) gives out-of-fold margins on the same stratified
// folds; the best logit and the best trees are also averaged at a few weights. Each is scored by
// the Brier score of its Platt-calibrated out-of-fold probabilities, which rewards ranking and
// calibration together; the lowest wins, and of equals the earlier (simpler) one.
import { brierScore, rocAuc } from './metrics';
import type { ModelSelection } from './model-artifact';
import { blendMargins } from './models/blend-model';
import type { Algo } from './models/churn-model';
import type { GbdtParameters } from './models/gbdt-model';
import type { LogitParameters } from './models/logit-model';
import { calibratedProbability, fitPlattCalibration } from './models/platt-calibration';

export interface ModelCandidate {
  label: string;
  algo: Algo;
  logit?: Partial<LogitParameters>;
  gbdt?: Partial<Omit<GbdtParameters, 'seed'>>;
}

const NO_EARLY_STOPPING = { maxIterations: 100, validationFraction: 0, minSamplesLeaf: 20 } as const;

/**
 * Small on purpose: each entry costs one fit per fold. The first two trees stop early on a 10 %
 * slice; the last three boost a fixed 100 rounds on every row, as scikit-learn does below 10,000
 * rows (on a small table the slice costs more than it saves), the first of them with
 * scikit-learn's own settings.
 */
export const DEFAULT_MODEL_GRID: readonly ModelCandidate[] = [
  { label: 'logit l2=1', algo: 'logit', logit: { l2: 1 } },
  { label: 'logit l2=10', algo: 'logit', logit: { l2: 10 } },
  { label: 'gbdt lr=0.05 depth=3 leaves=7', algo: 'gbdt', gbdt: { learningRate: 0.05, maxLeafNodes: 7, maxDepth: 3, l2Regularization: 1 } },
  { label: 'gbdt lr=0.1 depth=4 leaves=15 l2=3', algo: 'gbdt', gbdt: { learningRate: 0.1, maxLeafNodes: 15, maxDepth: 4, l2Regularization: 3 } },
  {
    label: 'gbdt lr=0.1 leaves=31 l2=0 100 rounds',
    algo: 'gbdt',
    gbdt: { ...NO_EARLY_STOPPING, learningRate: 0.1, maxLeafNodes: 31, maxDepth: null, l2Regularization: 0 },
  },
  {
    label: 'gbdt lr=0.1 depth=5 leaves=31 l2=1 100 rounds',
    algo: 'gbdt',
    gbdt: { ...NO_EARLY_STOPPING, learningRate: 0.1, maxLeafNodes: 31, maxDepth: 5, l2Regularization: 1 },
  },
  {
    label: 'gbdt lr=0.1 leaves=31 min leaf=10 l2=0 100 rounds',
    algo: 'gbdt',
    gbdt: { ...NO_EARLY_STOPPING, minSamplesLeaf: 10, learningRate: 0.1, maxLeafNodes: 31, maxDepth: null, l2Regularization: 0 },
  },
];

/** Weights of the logit's margin tried in the average of the best logit and the best trees. */
export const BLEND_LOGIT_WEIGHTS: readonly number[] = [0.25, 0.5, 0.75];

export type SelectedModel =
  | { kind: 'single'; candidate: ModelCandidate; margins: Float64Array; summary: ModelSelection }
  | { kind: 'blend'; logit: ModelCandidate; gbdt: ModelCandidate; logitWeight: number; margins: Float64Array; summary: ModelSelection };

interface Scored {
  label: string;
  margins: Float64Array;
  auc: number;
  brier: number;
}

/** Index of the lowest Brier score; the first of equals. */
export function lowestBrier(scores: readonly { brier: number }[]): number {
  if (scores.length === 0) throw new RangeError('model selection needs at least one candidate');
  return scores.reduce((best, score, k) => (score.brier < (scores[best] as { brier: number }).brier ? k : best), 0);
}

function scored(label: string, margins: Float64Array, labels: Uint8Array): Scored {
  const calibration = fitPlattCalibration(margins, labels);
  const probabilities = margins.map((margin) => calibratedProbability(calibration, margin));
  return { label, margins, auc: rocAuc(probabilities, labels), brier: brierScore(probabilities, labels) };
}

/**
 * `outOfFoldMargins` fits a candidate once per fold and returns every row's margin from the fold
 * that held it out; the caller owns the folds, so all candidates see the same ones.
 */
export function selectModel(
  grid: readonly ModelCandidate[],
  outOfFoldMargins: (candidate: ModelCandidate) => Float64Array,
  labels: Uint8Array,
  blendWeights: readonly number[] = BLEND_LOGIT_WEIGHTS,
): SelectedModel {
  const singles = grid.map((candidate) => scored(candidate.label, outOfFoldMargins(candidate), labels));
  const bestOf = (algo: Algo) => {
    const members = grid.flatMap((candidate, k) => (candidate.algo === algo ? [k] : []));
    return members.length === 0 ? null : (members[lowestBrier(members.map((k) => singles[k] as Scored))] as number);
  };
  const [logitIndex, gbdtIndex] = [bestOf('logit'), bestOf('gbdt')];
  const blends =
    logitIndex === null || gbdtIndex === null
      ? []
      : blendWeights.map((weight) => ({
          weight,
          ...scored(
            `blend ${weight}×(${grid[logitIndex]?.label}) + ${1 - weight}×(${grid[gbdtIndex]?.label})`,
            blendMargins((singles[logitIndex] as Scored).margins, (singles[gbdtIndex] as Scored).margins, weight),
            labels,
          ),
        }));
  const all = [...singles, ...blends];
  const winner = lowestBrier(all);
  const chosen = all[winner] as Scored;
  const summary: ModelSelection = {
    criterion: 'out-of-fold-brier',
    chosen: chosen.label,
    candidates: all.map(({ label, auc, brier }) => ({ label, auc, brier })),
  };
  if (winner < singles.length) return { kind: 'single', candidate: grid[winner] as ModelCandidate, margins: chosen.margins, summary };
  const blend = blends[winner - singles.length] as (typeof blends)[number];
  return {
    kind: 'blend',
    logit: grid[logitIndex as number] as ModelCandidate,
    gbdt: grid[gbdtIndex as number] as ModelCandidate,
    logitWeight: blend.weight,
    margins: chosen.margins,
    summary,
  };
}
