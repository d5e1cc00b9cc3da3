// Scoring: rows of strings (header first) → calibrated churn probability, warning level and the
// columns that raise the risk most, as Reason objects the desk translates
// (code "feature_contribution", params: feature, value, effect in log-odds).
import type { Reason, WarningLevel } from '../contract/entities';
import { columnIndex, isBlank, toCsvTable, type StringRows } from './dataset/csv-table';
import { readFeatureMatrix, type FeatureMatrix } from './dataset/feature-matrix';
import { readLabels } from './dataset/labels';
import { classificationMetrics, type ClassificationMetrics } from './metrics';
import type { ModelArtifact } from './model-artifact';
import { compileChurnModel, type CompiledChurnModel } from './models/churn-model';
import { warningLevelFor } from './models/warning-thresholds';

export const FEATURE_CONTRIBUTION = 'feature_contribution';

export interface ScoredRow {
  /** The id column's value when the model was trained with one and the rows have it. */
  id: string | null;
  probability: number;
  warningLevel: WarningLevel;
  /** Up to `reasons` columns with a positive effect, largest first. */
  reasons: Reason[];
}

export interface ScoreOptions {
  /** How many reasons per row (default 3; 0 skips the explanation work). */
  reasons?: number;
  /** Explain only rows with a warning level (the attributions are the costly part). */
  explainWarnedOnly?: boolean;
}

/** Scores pre-encoded feature matrices (see dataset/feature-matrix.ts): the fast path for batches. */
export interface BatchScorer {
  model: ModelArtifact;
  compiled: CompiledChurnModel;
  /** Rows of strings → feature matrix; numeric garbage is rejected with its row and column. */
  encode(rows: StringRows): FeatureMatrix;
  probabilities(features: FeatureMatrix, out?: Float64Array): Float64Array;
}

/** Compiled once per loaded artefact (artefacts are treated as immutable once loaded). */
const scorers = new WeakMap<ModelArtifact, BatchScorer>();

export function createBatchScorer(model: ModelArtifact): BatchScorer {
  const cached = scorers.get(model);
  if (cached) return cached;
  const compiled = compileChurnModel(model.model, model.preprocessing);
  const { slope, intercept } = model.calibration;
  const scorer: BatchScorer = {
    model,
    compiled,
    encode: (rows) => readFeatureMatrix(toCsvTable(rows), model.preprocessing, 'reject'),
    probabilities(features, out = new Float64Array(features.rows)) {
      compiled.margins(features, out);
      for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-(slope * (out[i] as number) + intercept)));
      return out;
    },
  };
  scorers.set(model, scorer);
  return scorer;
}

const roundEffect = (effect: number) => Math.round(effect * 1000) / 1000;

export function scoreRows(model: ModelArtifact, rows: StringRows, options: ScoreOptions = {}): ScoredRow[] {
  const reasonCount = options.reasons ?? 3;
  const scorer = createBatchScorer(model);
  const table = toCsvTable(rows);
  const features = readFeatureMatrix(table, model.preprocessing, 'reject');
  const probabilities = scorer.probabilities(features);
  const specs = model.preprocessing.columns;
  const sources = specs.map((spec) => columnIndex(table, spec.name, 'model feature'));
  const idSource = model.training.idColumn === null ? -1 : table.header.indexOf(model.training.idColumn);
  const contributions = new Float64Array(features.width);
  const order = specs.map((_, j) => j);

  return table.records.map((record, i): ScoredRow => {
    const probability = probabilities[i] as number;
    const warningLevel = warningLevelFor(model.thresholds, probability);
    const reasons: Reason[] = [];
    if (reasonCount > 0 && !(options.explainWarnedOnly && warningLevel === 'none')) {
      scorer.compiled.contributions(features.values, i * features.width, contributions);
      // Contributions are on the margin scale; the calibration slope puts them on the probability's log-odds.
      order.sort((a, b) => (contributions[b] as number) - (contributions[a] as number));
      for (const j of order.slice(0, reasonCount)) {
        const effect = roundEffect(model.calibration.slope * (contributions[j] as number));
        if (!(effect > 0)) break;
        const spec = specs[j] as (typeof specs)[number];
        const cell = record[sources[j] as number];
        const value = isBlank(cell) ? '' : spec.type === 'numeric' ? Number(cell) : (cell as string).trim();
        reasons.push({ code: FEATURE_CONTRIBUTION, params: { feature: spec.name, value, effect } });
      }
    }
    return {
      id: idSource >= 0 ? (record[idSource] as string).trim() : null,
      probability,
      warningLevel,
      reasons,
    };
  });
}

/** Metrics of the model on labelled rows (the evaluate command, the benchmark). */
export function evaluateModel(model: ModelArtifact, rows: StringRows, target: string, positive: string): ClassificationMetrics {
  const table = toCsvTable(rows);
  const labels = readLabels(table, target, positive);
  const scorer = createBatchScorer(model);
  return classificationMetrics(scorer.probabilities(readFeatureMatrix(table, model.preprocessing, 'reject')), labels);
}
