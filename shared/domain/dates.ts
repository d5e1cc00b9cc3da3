// Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so results do not depend on the machine's zone.
import { DAY_MS } from './operator-time';

export function wholeMonthsBetween(fromIsoDate: string, to: Date): number {
  const from = new Date(`${fromIsoDate}T00:00:00Z`);
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (to.getUTCDate() < from.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

/** The calendar month (YYYY-MM) `offset` months after `month` (before it when negative). */
export function monthAfter(month: string, offset: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber - 1 + offset, 1)).toISOString().slice(0, 7);
}

/** Every calendar month (YYYY-MM) from `first` to `last`, both included; none when `last` is before `first`. */
export function calendarMonths(first: string, last: string): string[] {
  const months: string[] = [];
  for (let month = first; month <= last; month = monthAfter(month, 1)) months.push(month);
  return months;
}

export function daysBetween(fromIsoDate: string, to: Date): number {
  const from = Date.parse(`${fromIsoDate}T00:00:00Z`);
  return Math.floor((to.getTime() - from) / DAY_MS);
}
