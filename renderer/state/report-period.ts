// Report periods are whole calendar days of the operator (China, UTC+8), whatever the desk's zone.
import { SAVE_RATE_MIN_DAYS, type ReportQuery } from '../../shared/contract/supervisor-reports';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';

// The save rate counts a warned customer once their first warned contact of the period is
// SAVE_RATE_MIN_DAYS old: a period that short, ending today, never has one. The first view is twice
// as long, so its first half has a known fate (and it is the demo's 60 days of call history).
export const DEFAULT_REPORT_DAYS = 2 * SAVE_RATE_MIN_DAYS;

/** The last DEFAULT_REPORT_DAYS (60) days, today included. */
export function defaultReportQuery(now: Date): ReportQuery {
  return { from: operatorDateDaysBefore(now, DEFAULT_REPORT_DAYS - 1), to: operatorDateDaysBefore(now) };
}
