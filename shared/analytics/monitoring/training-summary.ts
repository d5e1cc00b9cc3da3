// What a registered model version keeps about its training data: how many rows, the churn rate,
// the features and their distributions (the baseline drift is measured against), and the metrics
// measured at training (cross-validated, out of fold).
import { z } from 'zod';
import type { StringRows } from '../dataset/csv-table';
import type { ModelArtifact } from '../model-artifact';
import { FeatureDistribution, featureDistributions } from './feature-distribution';

export const TrainingMetrics = z.object({ auc: z.number(), brier: z.number(), topDecileLift: z.number() });
export type TrainingMetrics = z.infer<typeof TrainingMetrics>;

export const TrainingSummary = z.object({
  rows: z.number().int().positive(),
  churnRate: z.number().min(0).max(1),
  features: z.array(z.string().min(1)).min(1),
  distributions: z.array(FeatureDistribution),
  metrics: TrainingMetrics,
  /** Where the distributions were counted: the model's training data, or the active book when it was registered. */
  distributionsFrom: z.enum(['training_data', 'book_at_registration']),
});
export type TrainingSummary = z.infer<typeof TrainingSummary>;

/** The summary of `artifact`, with its features' distributions counted in `rows` (header first). */
export function summariseTraining(artifact: ModelArtifact, rows: StringRows, distributionsFrom: TrainingSummary['distributionsFrom']): TrainingSummary {
  const { metrics } = artifact.validation;
  return {
    rows: artifact.training.rows,
    churnRate: artifact.training.positives / artifact.training.rows,
    features: artifact.preprocessing.columns.map((c) => c.name),
    distributions: featureDistributions(rows, artifact.preprocessing.columns),
    metrics: { auc: metrics.auc, brier: metrics.brier, topDecileLift: metrics.top_decile_lift },
    distributionsFrom,
  };
}
