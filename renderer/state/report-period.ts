// Report periods are whole calendar days of the operator (China, UTC+8), whatever the desk's zone.
import type { ReportQuery } from '../../shared/contract/supervisor-reports';
import { operatorDateDaysBefore } from '../../shared/domain/operator-time';

const DEFAULT_REPORT_DAYS = 30;

/** The last 30 days, today included. */
export function defaultReportQuery(now: Date): ReportQuery {
  return { from: operatorDateDaysBefore(now, DEFAULT_REPORT_DAYS - 1), to: operatorDateDaysBefore(now) };
}
