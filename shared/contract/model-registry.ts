// The model registry and the monitoring of models in production (issue 20 §5): versions with their
// training summary and status, promote and roll back (administrators), and the report supervisors
// read: calibration, AUC and lift on realised churn by month, feature drift and the shadow challenger.
import { z } from 'zod';
import { TrainingMetrics } from '../analytics/monitoring/training-summary';
import { MonthWarningPrecision } from '../analytics/monitoring/warning-precision';
import { IsoDateTime } from './entities';

export const MODEL_STATUSES = ['champion', 'challenger', 'retired'] as const;
export const ModelStatus = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof ModelStatus>;

export const ModelVersionSummary = z.object({
  modelId: z.string().min(1),
  status: ModelStatus,
  algo: z.string().min(1),
  registeredAt: IsoDateTime,
  registeredBy: z.string().min(1),
  statusChangedAt: IsoDateTime,
  trainingRows: z.number().int().positive(),
  trainingChurnRate: z.number().min(0).max(1),
  features: z.array(z.string()),
  metrics: TrainingMetrics,
});
export type ModelVersionSummary = z.infer<typeof ModelVersionSummary>;

export const ModelVersionList = z.object({ versions: z.array(ModelVersionSummary) });
export type ModelVersionList = z.infer<typeof ModelVersionList>;

export const PromoteModelRequest = z.object({ modelId: z.string().min(1).max(200) });
export type PromoteModelRequest = z.infer<typeof PromoteModelRequest>;

export const ModelChangeResponse = z.object({
  champion: z.string().min(1),
  /** The champion it replaced, null when there was none. */
  replaced: z.string().nullable(),
  /** The scoring bundle version desks now re-score with. */
  bundleVersion: z.number().int().positive(),
});
export type ModelChangeResponse = z.infer<typeof ModelChangeResponse>;

export const ModelMonitoringQuery = z.object({
  /** PSI above this flags a feature (0.2 unless given). */
  driftThreshold: z.coerce.number().positive().max(10).optional(),
});
export type ModelMonitoringQuery = z.infer<typeof ModelMonitoringQuery>;

export const CalibrationDecile = z.object({
  decile: z.number().int().min(1).max(10),
  customers: z.number().int().positive(),
  meanPredicted: z.number(),
  observedRate: z.number(),
});

export const MonthPerformance = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  customers: z.number().int().nonnegative(),
  churned: z.number().int().nonnegative(),
  windowClosed: z.boolean(),
  enough: z.boolean(),
  auc: z.number().nullable(),
  topDecileLift: z.number().nullable(),
  brier: z.number().nullable(),
  calibration: z.array(CalibrationDecile),
});
export type MonthPerformance = z.infer<typeof MonthPerformance>;

export const FeatureDriftRow = z.object({ feature: z.string(), psi: z.number(), flagged: z.boolean() });

export const ShadowComparison = z.object({
  modelId: z.string().min(1),
  customers: z.number().int().nonnegative(),
  churned: z.number().int().nonnegative(),
  enough: z.boolean(),
  championAuc: z.number().nullable(),
  challengerAuc: z.number().nullable(),
});

export const ModelMonitoringReport = z.object({
  generatedAt: IsoDateTime,
  /** Churn within this many days after a score counts as realised for it. */
  horizonDays: z.number().int().positive(),
  /** A month's AUC and lift need at least this many leavers and stayers. */
  minimumChurned: z.number().int().positive(),
  driftThreshold: z.number().positive(),
  champion: ModelVersionSummary.nullable(),
  challenger: ModelVersionSummary.nullable(),
  /** The champion's realised performance, by month of the score date. */
  months: z.array(MonthPerformance),
  /** The warning levels' realised precision and recall by final month, against their training targets; empty without a champion. */
  warningPrecision: z.array(MonthWarningPrecision).default([]),
  /** When the drift below was measured (as the book was scored); null before it first was. */
  driftComputedAt: IsoDateTime.nullable().default(null),
  /** Active customers the drift was measured on (0: not measured yet, no champion or an empty book). */
  driftCustomers: z.number().int().nonnegative(),
  drift: z.array(FeatureDriftRow),
  shadow: ShadowComparison.nullable(),
});
export type ModelMonitoringReport = z.infer<typeof ModelMonitoringReport>;
