// When customers may be called: the operator's contact hours (default 08:00–21:00 China time),
// set by the operator (CLM_CONTACT_HOURS on the central API) and sent to the desks with the
// outbound queue. Callbacks and outbound calls are offered only inside them.
import { z } from 'zod';
import { operatorMinuteOfDay } from './operator-time';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00–23:59)');

export const ContactHours = z
  .object({ from: ClockTime, to: ClockTime })
  .refine((hours) => minutesOf(hours.from) < minutesOf(hours.to), 'contact hours must start before they end, on the same day');
export type ContactHours = z.infer<typeof ContactHours>;

export const DEFAULT_CONTACT_HOURS: ContactHours = { from: '08:00', to: '21:00' };

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** True when `instant` falls inside the contact hours on the operator's clock (the end minute excluded). */
export function withinContactHours(instant: Date, hours: ContactHours): boolean {
  const minute = operatorMinuteOfDay(instant);
  return minute >= minutesOf(hours.from) && minute < minutesOf(hours.to);
}

/** "08:00-21:00" as the operator writes it in CLM_CONTACT_HOURS; throws with the reason otherwise. */
export function parseContactHours(text: string): ContactHours {
  const [from, to, ...rest] = text.split('-').map((part) => part.trim());
  const parsed = ContactHours.safeParse({ from, to });
  if (rest.length > 0 || !parsed.success) throw new Error(`contact hours must read HH:MM-HH:MM, start before end (e.g. 08:00-21:00), got '${text}'`);
  return parsed.data;
}
