// Capped exponential backoff with jitter, shared by the outbox retries and the CTI reconnects.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry). "Equal jitter": half the exponential
 * step is fixed, half random, so delays keep growing while clients that failed together
 * spread out instead of retrying in lockstep.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
