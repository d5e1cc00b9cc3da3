// Training end to end: profile and encode the columns, estimate out-of-fold margins by
// stratified k-fold (they calibrate the probabilities, place the warning thresholds and give
// honest validation metrics), then fit the final model on every row. With algo 'auto' the same
// folds first choose the model (model-selection.ts); its metrics are then those of the winner,
// a little optimistic for having won.
import { columnIndex, toCsvTable, type StringRows } from './dataset/csv-table';
import { readFeatureMatrix, selectLabels, selectRows } from './dataset/feature-matrix';
import { readLabels } from './dataset/labels';
import { fitPreprocessing } from './dataset/preprocessing';
import { classificationMetrics } from './metrics';
import { MODEL_ARTIFACT_KIND, MODEL_ARTIFACT_SCHEMA_VERSION, ModelArtifact } from './model-artifact';
import { compileChurnModel, fitChurnModel, type Algo, type AlgoParameters, type ChurnModel } from './models/churn-model';
import { DEFAULT_MODEL_GRID, selectModel, type ModelCandidate, type SelectedModel } from './model-selection';
import type { BlendModel } from './models/blend-model';
import { DEFAULT_GBDT_PARAMETERS, fitGbdtModel, type GbdtParameters } from './models/gbdt-model';
import { DEFAULT_LOGIT_PARAMETERS, fitLogitModel, type LogitParameters } from './models/logit-model';
import { calibratedProbability, fitPlattCalibration } from './models/platt-calibration';
import { chooseWarningThresholds, DEFAULT_PRECISION_TARGETS, PrecisionTargets } from './models/warning-thresholds';
import { foldRows, stratifiedGroupKFold, stratifiedKFold } from './sampling';

export type ClassWeight = 'none' | 'balanced';

export interface TrainChurnModelOptions {
  /** A family, or 'auto': cross-validated choice among `grid` and blends of its best logit and best trees. */
  algo: Algo | 'auto';
  /** The candidates 'auto' compares (default DEFAULT_MODEL_GRID). */
  grid?: readonly ModelCandidate[];
  target: string;
  /** The target value that means "churned". */
  positive: string;
  idColumn?: string | null;
  ignoreColumns?: readonly string[];
  /** ISO timestamp recorded in the artefact (the caller owns the clock). */
  createdAt: string;
  modelId?: string;
  seed?: number;
  /** Folds of the out-of-fold estimate behind calibration, thresholds and metrics. */
  folds?: number;
  /** 'balanced' weighs each class to half the total; calibration then restores real probabilities. */
  classWeight?: ClassWeight;
  /** A categorical level needs this many rows to get its own code; rarer ones are "other". */
  minLevelCount?: number;
  precisionTargets?: PrecisionTargets;
  logit?: Partial<LogitParameters>;
  gbdt?: Partial<Omit<GbdtParameters, 'seed'>>;
}

export const DEFAULT_FOLDS = 5;
export const DEFAULT_MIN_LEVEL_COUNT = 10;

function classWeights(labels: Uint8Array, classWeight: ClassWeight): Float64Array | null {
  if (classWeight === 'none') return null;
  let positives = 0;
  for (const label of labels) positives += label;
  const positiveWeight = labels.length / (2 * positives);
  const negativeWeight = labels.length / (2 * (labels.length - positives));
  return Float64Array.from(labels, (label) => (label === 1 ? positiveWeight : negativeWeight));
}

/** The family the caller named: no selection. */
interface GivenModel {
  kind: 'given';
  candidate: ModelCandidate;
  margins: Float64Array;
}

export function trainChurnModel(rows: StringRows, options: TrainChurnModelOptions): ModelArtifact {
  const seed = options.seed ?? 42;
  const folds = options.folds ?? DEFAULT_FOLDS;
  const classWeight = options.classWeight ?? 'none';
  const idColumn = options.idColumn ?? null;
  const ignoreColumns = options.ignoreColumns ?? [];
  const table = toCsvTable(rows);
  const labels = readLabels(table, options.target, options.positive);
  const { preprocessing, columns } = fitPreprocessing(
    table,
    { target: options.target, idColumn, ignoreColumns },
    options.minLevelCount ?? DEFAULT_MIN_LEVEL_COUNT,
  );
  const features = readFeatureMatrix(table, preprocessing, 'treat_as_missing');
  const parametersOf = (candidate: Pick<ModelCandidate, 'logit' | 'gbdt'>): AlgoParameters => ({
    logit: { ...DEFAULT_LOGIT_PARAMETERS, ...options.logit, ...candidate.logit },
    gbdt: { ...DEFAULT_GBDT_PARAMETERS, ...options.gbdt, ...candidate.gbdt, seed },
  });
  const fit = (candidate: ModelCandidate, rowsToFit: Uint32Array | null): ChurnModel => {
    const x = rowsToFit ? selectRows(features, rowsToFit) : features;
    const y = rowsToFit ? selectLabels(labels, rowsToFit) : labels;
    return fitChurnModel(candidate.algo, x, y, classWeights(y, classWeight), preprocessing, parametersOf(candidate));
  };

  // Preprocessing (levels, medians) is fitted on all rows before the folds: it never sees the
  // labels, so the out-of-fold estimate stays honest where it matters. A customer's rows (the book's
  // examples at several months) share a fold, or the estimate would score customers it learnt from.
  const idIndex = idColumn === null ? null : columnIndex(table, idColumn, 'id');
  const foldOf =
    idIndex === null
      ? stratifiedKFold(labels, folds, seed)
      : stratifiedGroupKFold(
          labels,
          table.records.map((record) => record[idIndex] as string),
          folds,
          seed,
        );
  const fitBlend = ({ logit, gbdt, logitWeight }: Extract<SelectedModel, { kind: 'blend' }>): BlendModel => {
    const weights = classWeights(labels, classWeight);
    return {
      algo: 'blend',
      logitWeight,
      logit: fitLogitModel(features, labels, weights, preprocessing, parametersOf(logit).logit),
      gbdt: fitGbdtModel(features, labels, weights, preprocessing, parametersOf(gbdt).gbdt),
    };
  };

  const outOfFold = (candidate: ModelCandidate): Float64Array => {
    const margins = new Float64Array(labels.length);
    for (let fold = 0; fold < folds; fold++) {
      const held = foldRows(foldOf, fold, true);
      const foldMargins = compileChurnModel(fit(candidate, foldRows(foldOf, fold, false)), preprocessing).margins(selectRows(features, held));
      held.forEach((row, k) => (margins[row] = foldMargins[k] as number));
    }
    return margins;
  };
  const choice: SelectedModel | GivenModel =
    options.algo === 'auto'
      ? selectModel(options.grid ?? DEFAULT_MODEL_GRID, outOfFold, labels)
      : { kind: 'given', candidate: { label: options.algo, algo: options.algo }, margins: outOfFold({ label: options.algo, algo: options.algo }) };
  const outOfFoldMargins = choice.margins;
  const calibration = fitPlattCalibration(outOfFoldMargins, labels);
  const outOfFoldProbabilities = outOfFoldMargins.map((margin) => calibratedProbability(calibration, margin));
  const metrics = classificationMetrics(outOfFoldProbabilities, labels);

  const model: ChurnModel = choice.kind === 'blend' ? fitBlend(choice) : fit(choice.candidate, null);
  // Parsing what we built guarantees a caller never writes an artefact that would not load.
  return ModelArtifact.parse({
    kind: MODEL_ARTIFACT_KIND,
    schemaVersion: MODEL_ARTIFACT_SCHEMA_VERSION,
    modelId: options.modelId ?? `churn-${model.algo}-${options.createdAt.replace(/[^0-9]/g, '').slice(0, 14)}`,
    createdAt: options.createdAt,
    training: {
      rows: labels.length,
      positives: metrics.positives,
      target: options.target,
      positiveValue: options.positive.trim(),
      idColumn,
      ignoredColumns: [...ignoreColumns],
      classWeight,
      seed,
      columns,
    },
    preprocessing,
    model,
    calibration,
    thresholds: chooseWarningThresholds(outOfFoldProbabilities, labels, PrecisionTargets.parse(options.precisionTargets ?? DEFAULT_PRECISION_TARGETS)),
    validation: { method: 'stratified-k-fold-out-of-fold', folds, metrics, ...(choice.kind === 'given' ? {} : { selection: choice.summary }) },
  });
}
