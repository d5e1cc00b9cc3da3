// The churn model artefact: one versioned JSON document with everything scoring needs (the
// fitted preprocessing, the model, its calibration and warning thresholds) and what a reviewer
// wants to know (training data summary, parameters, cross-validated metrics). This schema is the
// only definition of its shape; loading validates it and explains what is wrong.
import { z } from 'zod';
import { IsoDateTime } from '../contract/entities';
import { ColumnSummary, Preprocessing } from './dataset/preprocessing';
import { ChurnModel } from './models/churn-model';
import type { GbdtModel } from './models/gbdt-model';
import type { LogitModel } from './models/logit-model';
import { designLayout } from './models/logit-design';
import { PlattCalibration } from './models/platt-calibration';
import { WarningThresholds } from './models/warning-thresholds';

export const MODEL_ARTIFACT_KIND = 'clm-churn-model';
export const MODEL_ARTIFACT_SCHEMA_VERSION = 1;

export const ValidationMetrics = z.object({
  auc: z.number(),
  pr_auc: z.number(),
  log_loss: z.number(),
  brier: z.number(),
  top_decile_lift: z.number(),
  rows: z.number().int().positive(),
  positives: z.number().int().nonnegative(),
});

export const ModelSelection = z.object({
  criterion: z.literal('out-of-fold-brier'),
  chosen: z.string(),
  candidates: z.array(z.object({ label: z.string(), auc: z.number(), brier: z.number() })),
});
export type ModelSelection = z.infer<typeof ModelSelection>;

interface ArtifactIssue {
  path: (string | number)[];
  message: string;
}

function logitIssues(model: LogitModel, preprocessing: Preprocessing, path: string[]): ArtifactIssue[] {
  const width = designLayout(preprocessing).width;
  return (
    [
      ['coefficients', model.coefficients],
      ['designMean', model.designMean],
      ['designScale', model.designScale],
    ] as const
  ).flatMap(([name, values]) =>
    values.length === width ? [] : [{ path: [...path, name], message: `has ${values.length} entries, the preprocessing needs ${width}` }],
  );
}

function gbdtIssues(model: GbdtModel, preprocessing: Preprocessing, path: string[]): ArtifactIssue[] {
  const columns = preprocessing.columns;
  return model.trees.flatMap((tree, t) =>
    tree.feature.flatMap((feature, node) => {
      if (feature < 0) return [];
      const spec = columns[feature];
      const categorical = (tree.categoriesLeft[node] ?? []).length > 0;
      if (spec && !(categorical && spec.type !== 'categorical')) return [];
      return [{ path: [...path, 'trees', t], message: `node ${node} splits on feature ${feature}, which the preprocessing does not have as that type` }];
    }),
  );
}

export const ModelArtifact = z
  .object({
    kind: z.literal(MODEL_ARTIFACT_KIND),
    schemaVersion: z.literal(MODEL_ARTIFACT_SCHEMA_VERSION),
    modelId: z.string().min(1),
    createdAt: IsoDateTime,
    training: z.object({
      rows: z.number().int().positive(),
      positives: z.number().int().positive(),
      target: z.string().min(1),
      positiveValue: z.string().min(1),
      idColumn: z.string().nullable(),
      ignoredColumns: z.array(z.string()),
      classWeight: z.enum(['none', 'balanced']),
      seed: z.number().int(),
      columns: z.array(ColumnSummary),
    }),
    preprocessing: Preprocessing,
    model: ChurnModel,
    calibration: PlattCalibration,
    thresholds: WarningThresholds,
    validation: z.object({
      method: z.literal('stratified-k-fold-out-of-fold'),
      folds: z.number().int().min(2),
      metrics: ValidationMetrics,
      /** What cross-validated model selection compared on the same folds; absent when the family was given. */
      selection: ModelSelection.optional(),
    }),
  })
  .superRefine((artifact, ctx) => {
    const { model, preprocessing } = artifact;
    const issues =
      model.algo === 'blend'
        ? [...logitIssues(model.logit, preprocessing, ['model', 'logit']), ...gbdtIssues(model.gbdt, preprocessing, ['model', 'gbdt'])]
        : model.algo === 'logit'
          ? logitIssues(model, preprocessing, ['model'])
          : gbdtIssues(model, preprocessing, ['model']);
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });
export type ModelArtifact = z.infer<typeof ModelArtifact>;

export class ModelArtifactError extends Error {
  override readonly name = 'ModelArtifactError';
}

/** Validates a parsed JSON value (or JSON text) as a model artefact. */
export function loadModelArtifact(input: unknown): ModelArtifact {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ModelArtifactError(`model artefact is not valid JSON (${(error as Error).message})`);
    }
  }
  const header = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (header.kind !== MODEL_ARTIFACT_KIND) throw new ModelArtifactError(`not a churn model artefact (expected "kind": "${MODEL_ARTIFACT_KIND}")`);
  if (header.schemaVersion !== MODEL_ARTIFACT_SCHEMA_VERSION) {
    throw new ModelArtifactError(
      `unsupported model artefact schema version ${String(header.schemaVersion)} (this build reads ${MODEL_ARTIFACT_SCHEMA_VERSION})`,
    );
  }
  const parsed = ModelArtifact.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ModelArtifactError(`model artefact is invalid: ${issues.join('; ')}`);
  }
  return parsed.data;
}
