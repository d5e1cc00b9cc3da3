// POST /desks/health: what a desk reports each interval so IT sees a bad desk before its agent
// calls. Figures only: no customer data, no device id; the server adds the caller's team.
import { z } from 'zod';

export const DESK_HEALTH_INTERVAL_MAX_SECONDS = 3600;

export const DeskHealthReport = z.object({
  /** How often this desk reports; the server forgets a desk silent for two intervals. */
  intervalSeconds: z.number().int().min(1).max(DESK_HEALTH_INTERVAL_MAX_SECONDS),
  /** Outcomes and customer events waiting in the outbox to be uploaded. */
  outboxPending: z.number().int().nonnegative(),
  /** Outcomes and customer events the server refused for good: they need IT. */
  outboxDead: z.number().int().nonnegative(),
  /** Seconds since the last successful download; null before the first one. */
  syncLagSeconds: z.number().nonnegative().nullable(),
  /** 95th percentile of the card look-ups (screen pops) in the interval; null when no card was opened. */
  screenPopP95Seconds: z.number().nonnegative().nullable(),
  /** How many card look-ups the p95 is over. */
  screenPops: z.number().int().nonnegative(),
});
export type DeskHealthReport = z.infer<typeof DeskHealthReport>;
