// Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so results do not depend on the machine's zone.
import { DAY_MS } from './operator-time';

export function wholeMonthsBetween(fromIsoDate: string, to: Date): number {
  const from = new Date(`${fromIsoDate}T00:00:00Z`);
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (to.getUTCDate() < from.getUTCDate()) months -= 1;
  return Math.max(0, months);
}

export function daysBetween(fromIsoDate: string, to: Date): number {
  const from = Date.parse(`${fromIsoDate}T00:00:00Z`);
  return Math.floor((to.getTime() - from) / DAY_MS);
}
