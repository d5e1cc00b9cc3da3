// Server settings of the supervisor reports.

/**
 * How many months of ARPU an accepted retention / win-back offer is assumed to keep: the
 * "expected months" of retained revenue = ARPU kept × expected months. CLM_EXPECTED_MONTHS_KEPT.
 */
export const DEFAULT_EXPECTED_MONTHS_KEPT = 12;

export interface ReportSettings {
  expectedMonthsKept: number;
}

export function resolveReportSettings(env: NodeJS.ProcessEnv = process.env): ReportSettings {
  const raw = env.CLM_EXPECTED_MONTHS_KEPT;
  if (!raw) return { expectedMonthsKept: DEFAULT_EXPECTED_MONTHS_KEPT };
  const months = Number(raw);
  if (!Number.isFinite(months) || months <= 0) throw new Error(`CLM_EXPECTED_MONTHS_KEPT must be a positive number of months, got '${raw}'`);
  return { expectedMonthsKept: months };
}
