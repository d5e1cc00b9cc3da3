// How long personal data is kept, per table, before `clm privacy purge` removes it (PIPL: keep no
// longer than the purpose needs). Days, from the environment; each has a stated default. A window is exact to
// the row: months of a partitioned table wholly past it are dropped whole, the month it ends in row by row (purge-expired.ts).
import { z } from 'zod';

export const RETENTION_DEFAULT_DAYS = {
  /** CTI call events carry the caller's number (ani). */
  ctiCalls: 180,
  /** Who opened which customer's card: kept a year for audits of access. */
  cardViewAudit: 365,
  /** The free text an agent typed on an outcome; the outcome row itself stays for the reports. */
  outcomeNotes: 180,
  /** Complaints and network faults logged on the desk (with their notes). */
  customerEvents: 365,
} as const;

export const RETENTION_ENV = {
  ctiCalls: 'CLM_RETENTION_CTI_CALLS_DAYS',
  cardViewAudit: 'CLM_RETENTION_CARD_VIEW_AUDIT_DAYS',
  outcomeNotes: 'CLM_RETENTION_OUTCOME_NOTES_DAYS',
  customerEvents: 'CLM_RETENTION_CUSTOMER_EVENTS_DAYS',
} as const;

const days = (fallback: number) => z.coerce.number().int().positive().max(36_500).default(fallback);

export const RetentionPolicy = z.object({
  ctiCalls: days(RETENTION_DEFAULT_DAYS.ctiCalls),
  cardViewAudit: days(RETENTION_DEFAULT_DAYS.cardViewAudit),
  outcomeNotes: days(RETENTION_DEFAULT_DAYS.outcomeNotes),
  customerEvents: days(RETENTION_DEFAULT_DAYS.customerEvents),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export class RetentionPolicyError extends Error {
  override readonly name = 'RetentionPolicyError';
}

/** The policy from CLM_RETENTION_*_DAYS; an unset or empty variable takes its default, a bad one is refused. */
export function resolveRetentionPolicy(env: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  const raw = Object.fromEntries(
    Object.entries(RETENTION_ENV).map(([key, name]) => {
      const value = env[name]?.trim();
      return [key, value === '' ? undefined : value];
    }),
  );
  const parsed = RetentionPolicy.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${RETENTION_ENV[issue.path[0] as keyof typeof RETENTION_ENV]}: ${issue.message}`);
  throw new RetentionPolicyError(`retention policy: ${issues.join('; ')} (whole days, 1 to 36500)`);
}
