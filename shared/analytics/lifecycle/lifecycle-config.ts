// The operator's lifecycle thresholds: a versioned document they can change without a
// release. Every card says which version decided its stage.
import { z } from 'zod';

export const LifecycleConfig = z.object({
  version: z.string().min(1),
  /** A = the first months after joining. */
  acquisitionMonths: z.number().int().positive(),
  /** C needs at least this tenure; a stable customer below it is still developing (B). */
  maturityMinTenureMonths: z.number().int().positive(),
  growth: z.object({ arpuRisePct: z.number().positive(), usageRisePct: z.number().positive() }),
  decline: z.object({
    arpuDropPct3m: z.number().positive(),
    arpuDropPct6m: z.number().positive(),
    usageDropPct3m: z.number().positive(),
    complaints30d: z.number().int().positive(),
    networkIssues90d: z.number().int().positive(),
    churnProbability: z.number().min(0).max(1),
    contractEndsWithinDays: z.number().int().nonnegative(),
  }),
});
export type LifecycleConfig = z.infer<typeof LifecycleConfig>;

export const DEFAULT_LIFECYCLE_CONFIG: LifecycleConfig = {
  version: 'lifecycle-2026.11-1',
  acquisitionMonths: 6,
  maturityMinTenureMonths: 24,
  growth: { arpuRisePct: 5, usageRisePct: 10 },
  decline: {
    arpuDropPct3m: 15,
    arpuDropPct6m: 20,
    usageDropPct3m: 30,
    complaints30d: 2,
    networkIssues90d: 3,
    churnProbability: 0.5,
    contractEndsWithinDays: 60,
  },
};
