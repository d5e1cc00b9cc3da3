// Report periods are whole calendar days of the operator (China, UTC+8), whatever the desk's zone.
import type { ReportQuery } from '../../shared/contract/reports';

const OPERATOR_TIME_ZONE = 'Asia/Shanghai';
const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;

/** The operator's calendar date of a moment, as YYYY-MM-DD. */
function operatorDate(moment: Date): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: OPERATOR_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(moment);
}

/** The last 30 days, today included. */
export function defaultReportQuery(now: Date): ReportQuery {
  const to = operatorDate(now);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_REPORT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}
