import { describe, expect, it } from 'vitest';
import { operatorDate, operatorDateTime } from '../../renderer/format/operator-time';
import { defaultReportQuery } from '../../renderer/state/report-period';

describe('default report period', () => {
  it('is the last 30 operator days (UTC+8), today included, whatever the desk clock zone', () => {
    expect(defaultReportQuery(new Date('2025-06-15T09:00:00Z'))).toEqual({ from: '2025-05-17', to: '2025-06-15' });
    // 01:00 on the 16th in Beijing is still the 15th in UTC.
    expect(defaultReportQuery(new Date('2025-06-15T17:00:00Z'))).toEqual({ from: '2025-05-18', to: '2025-06-16' });
    expect(defaultReportQuery(new Date('2025-03-01T04:00:00Z'))).toEqual({ from: '2025-01-31', to: '2025-03-01' });
  });
});

describe('operator clock', () => {
  it('states moments on China time, whatever the desk clock zone', () => {
    expect(operatorDateTime('2025-06-14T16:05:07Z')).toBe('2025-06-15 00:05:07');
    expect(operatorDate('2025-06-14T15:59:59.999Z')).toBe('2025-06-14');
    expect(operatorDateTime('not a date')).toBe('not a date');
  });
});
