// A report period in the operator's calendar (shared/domain/operator-time.ts: UTC+8 all year, so
// a fixed offset is exactly Asia/Shanghai and needs no time-zone database in PGlite).
import type { ReportQuery } from '../../shared/contract/supervisor-reports';
import { DAY_MS, OPERATOR_UTC_OFFSET } from '../../shared/domain/operator-time';
/** SQL: the operator's calendar day of a timestamptz column or expression. */
export const operatorDaySql = (column: string) => `((${column} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/** Longest period a report covers: the trend has one point per day. */
export const REPORT_MAX_DAYS = 731;

export interface ReportPeriod {
  from: string;
  to: string;
  /** First instant of `from` and first instant after `to`, operator time, as ISO text for SQL. */
  startsAt: string;
  endsBefore: string;
}

/** Null unless `isoDate` is a real calendar day ("2025-02-30" does not round-trip). */
function startOfOperatorDay(isoDate: string): Date | null {
  const start = new Date(`${isoDate}T00:00:00${OPERATOR_UTC_OFFSET}`);
  if (Number.isNaN(start.getTime())) return null;
  return new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) === isoDate ? start : null;
}

/** The period, or the reason it is refused (a 400 message). */
export function reportPeriod(query: Pick<ReportQuery, 'from' | 'to'>): ReportPeriod | { refused: string } {
  const start = startOfOperatorDay(query.from);
  const lastDay = startOfOperatorDay(query.to);
  if (start === null) return { refused: `from '${query.from}' is not a calendar date` };
  if (lastDay === null) return { refused: `to '${query.to}' is not a calendar date` };
  const days = (lastDay.getTime() - start.getTime()) / DAY_MS + 1;
  if (days > REPORT_MAX_DAYS) return { refused: `a report covers at most ${REPORT_MAX_DAYS} days; ${query.from}..${query.to} is ${days}` };
  return { from: query.from, to: query.to, startsAt: start.toISOString(), endsBefore: new Date(lastDay.getTime() + DAY_MS).toISOString() };
}
