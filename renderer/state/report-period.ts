// Report periods are whole calendar days of the operator (China, UTC+8), whatever the desk's zone.
import type { ReportQuery } from '../../shared/contract/reports';
import { operatorDate } from '../format/operator-time';

const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;

/** The last 30 days, today included. */
export function defaultReportQuery(now: Date): ReportQuery {
  const to = operatorDate(now.toISOString());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_REPORT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}
