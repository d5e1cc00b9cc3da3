// Contact hours on the operator's clock (UTC+8), whatever zone the machine runs in.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTACT_HOURS, parseContactHours, withinContactHours } from '../../shared/domain/contact-hours';

describe('contact hours', () => {
  it.each([
    ['2025-06-15T23:59:00Z', false], // 07:59 in China
    ['2025-06-16T00:00:00Z', true], // 08:00
    ['2025-06-16T12:59:00Z', true], // 20:59
    ['2025-06-16T13:00:00Z', false], // 21:00: the end is not included
    ['2025-06-16T16:00:00Z', false], // 00:00
  ])('%s is within 08:00–21:00 China time: %s', (instant, within) => {
    expect(withinContactHours(new Date(instant), DEFAULT_CONTACT_HOURS)).toBe(within);
  });

  it('reads the operator’s setting and refuses what is not a daytime window', () => {
    expect(parseContactHours('09:30-20:00')).toEqual({ from: '09:30', to: '20:00' });
    expect(parseContactHours(' 08:00 - 21:00 ')).toEqual(DEFAULT_CONTACT_HOURS);
    for (const bad of ['21:00-08:00', '8-21', '08:00', '08:00-24:00', '08:00-21:00-22:00']) expect(() => parseContactHours(bad), bad).toThrow(/HH:MM-HH:MM/);
  });
});
