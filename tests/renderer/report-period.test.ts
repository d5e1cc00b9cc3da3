import { describe, expect, it } from 'vitest';
import { operatorDate, operatorDateTime } from '../../renderer/format/operator-time';
import { DEFAULT_REPORT_DAYS, defaultReportQuery } from '../../renderer/state/report-period';
import { SAVE_RATE_MIN_DAYS } from '../../shared/contract/supervisor-reports';
import { DAY_MS, operatorDateDaysBefore } from '../../shared/domain/operator-time';

describe('default report period', () => {
  it('is the last 60 operator days (UTC+8), today included, whatever the desk clock zone', () => {
    expect(defaultReportQuery(new Date('2025-06-15T09:00:00Z'))).toEqual({ from: '2025-04-17', to: '2025-06-15' });
    // 01:00 on the 16th in Beijing is still the 15th in UTC.
    expect(defaultReportQuery(new Date('2025-06-15T17:00:00Z'))).toEqual({ from: '2025-04-18', to: '2025-06-16' });
    expect(defaultReportQuery(new Date('2025-03-01T04:00:00Z'))).toEqual({ from: '2025-01-01', to: '2025-03-01' });
  });

  it('holds contacts old enough for the save rate: its first 30 days are SAVE_RATE_MIN_DAYS or more before today', () => {
    const now = new Date('2025-06-15T09:00:00Z');
    const { from } = defaultReportQuery(now);
    // A contact on this day is SAVE_RATE_MIN_DAYS old by this time of day today.
    const lastDayOfKnownFate = operatorDateDaysBefore(now, SAVE_RATE_MIN_DAYS);
    expect([from, lastDayOfKnownFate]).toEqual(['2025-04-17', '2025-05-16']);
    const daysOfKnownFate = (Date.parse(lastDayOfKnownFate) - Date.parse(from)) / DAY_MS + 1;
    expect(daysOfKnownFate).toBe(DEFAULT_REPORT_DAYS - SAVE_RATE_MIN_DAYS);
    expect(daysOfKnownFate).toBe(30);
  });
});

describe('operator clock', () => {
  it('states moments on China time, whatever the desk clock zone', () => {
    expect(operatorDateTime('2025-06-14T16:05:07Z')).toBe('2025-06-15 00:05:07');
    expect(operatorDate('2025-06-14T15:59:59.999Z')).toBe('2025-06-14');
    expect(operatorDateTime('not a date')).toBe('not a date');
  });
});
