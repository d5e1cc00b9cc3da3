// Training end to end: profile and encode the columns, estimate out-of-fold margins by
// stratified k-fold (they calibrate the probabilities, place the warning thresholds and give
// honest validation metrics), then fit the final model on every row.
import { toCsvTable, type StringRows } from './dataset/csv-table';
import { readFeatureMatrix, selectLabels, selectRows } from './dataset/feature-matrix';
import { readLabels } from './dataset/labels';
import { fitPreprocessing } from './dataset/preprocessing';
import { classificationMetrics } from './metrics';
import { MODEL_ARTIFACT_KIND, MODEL_ARTIFACT_SCHEMA_VERSION, ModelArtifact } from './model-artifact';
import { compileChurnModel, fitChurnModel, type Algo, type AlgoParameters } from './models/churn-model';
import { DEFAULT_GBDT_PARAMETERS, type GbdtParameters } from './models/gbdt-model';
import { DEFAULT_LOGIT_PARAMETERS, type LogitParameters } from './models/logit-model';
import { calibratedProbability, fitPlattCalibration } from './models/platt-calibration';
import { chooseWarningThresholds, DEFAULT_PRECISION_TARGETS, PrecisionTargets } from './models/warning-thresholds';
import { foldRows, stratifiedKFold } from './sampling';

export type ClassWeight = 'none' | 'balanced';

export interface TrainChurnModelOptions {
  algo: Algo;
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
  const parameters: AlgoParameters = {
    logit: { ...DEFAULT_LOGIT_PARAMETERS, ...options.logit },
    gbdt: { ...DEFAULT_GBDT_PARAMETERS, ...options.gbdt, seed },
  };
  const fit = (rowsToFit: Uint32Array | null) => {
    const x = rowsToFit ? selectRows(features, rowsToFit) : features;
    const y = rowsToFit ? selectLabels(labels, rowsToFit) : labels;
    return fitChurnModel(options.algo, x, y, classWeights(y, classWeight), preprocessing, parameters);
  };

  // Preprocessing (levels, medians) is fitted on all rows before the folds: it never sees the
  // labels, so the out-of-fold estimate stays honest where it matters.
  const foldOf = stratifiedKFold(labels, folds, seed);
  const outOfFoldMargins = new Float64Array(labels.length);
  for (let fold = 0; fold < folds; fold++) {
    const held = foldRows(foldOf, fold, true);
    const model = compileChurnModel(fit(foldRows(foldOf, fold, false)), preprocessing);
    const margins = model.margins(selectRows(features, held));
    held.forEach((row, k) => (outOfFoldMargins[row] = margins[k] as number));
  }
  const calibration = fitPlattCalibration(outOfFoldMargins, labels);
  const outOfFoldProbabilities = outOfFoldMargins.map((margin) => calibratedProbability(calibration, margin));
  const metrics = classificationMetrics(outOfFoldProbabilities, labels);

  const model = fit(null);
  // Parsing what we built guarantees a caller never writes an artefact that would not load.
  return ModelArtifact.parse({
    kind: MODEL_ARTIFACT_KIND,
    schemaVersion: MODEL_ARTIFACT_SCHEMA_VERSION,
    modelId: options.modelId ?? `churn-${options.algo}-${options.createdAt.replace(/[^0-9]/g, '').slice(0, 14)}`,
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
    validation: { method: 'stratified-k-fold-out-of-fold', folds, metrics },
  });
}
