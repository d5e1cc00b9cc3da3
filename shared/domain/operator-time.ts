// The operator's clock: China Standard Time, UTC+8 all year (no daylight saving, so a fixed
// offset is exactly Asia/Shanghai and needs no time-zone database).
export const OPERATOR_TIME_ZONE = 'Asia/Shanghai';
export const OPERATOR_UTC_OFFSET_MINUTES = 8 * 60;
/** The same offset as ISO 8601 writes it, for building instants from operator dates. */
export const OPERATOR_UTC_OFFSET = '+08:00';
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The operator's calendar date (YYYY-MM-DD) `daysAgo` days before `now`. */
export function operatorDateDaysBefore(now: Date, daysAgo = 0): string {
  return new Date(now.getTime() + OPERATOR_UTC_OFFSET_MINUTES * MINUTE_MS - daysAgo * DAY_MS).toISOString().slice(0, 10);
}

/** Minutes since midnight on the operator's clock. */
export function operatorMinuteOfDay(instant: Date): number {
  const minutes = Math.floor(instant.getTime() / MINUTE_MS) + OPERATOR_UTC_OFFSET_MINUTES;
  return ((minutes % (24 * 60)) + 24 * 60) % (24 * 60);
}
