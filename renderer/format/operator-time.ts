// The operator's clock: China Standard Time, whatever zone the desk or the browser is set to.
// Report periods are the operator's calendar days, and exports state times on the same clock.
import { OPERATOR_TIME_ZONE } from '../../shared/domain/operator-time';

const operatorClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: OPERATOR_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A moment as "YYYY-MM-DD HH:mm:ss" on the operator's clock (sorts as text, and spreadsheets read it as a date). */
export function operatorDateTime(iso: string): string {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  const part = Object.fromEntries(operatorClock.formatToParts(moment).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** The operator's calendar day of a moment, as YYYY-MM-DD. */
export function operatorDate(iso: string): string {
  return operatorDateTime(iso).slice(0, 10);
}
