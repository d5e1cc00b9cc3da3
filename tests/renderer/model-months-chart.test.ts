// The models page's AUC-by-month chart: months without a measure are gaps on a calendar axis, so
// 2026-04 followed by 2026-10 does not read as one month to the next.
import { describe, expect, it } from 'vitest';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import { performanceOption } from '../../renderer/supervisor/model-chart-options';
import type { MonthPerformance } from '../../shared/contract/model-registry';

interface LineOption {
  xAxis: { data: string[] };
  series: [{ data: (number | null)[] }, { data: (number | null)[] }];
}

const measuredMonth = (month: string, auc: number, enough = true): MonthPerformance => ({
  month,
  customers: 4000,
  churned: 200,
  windowClosed: true,
  enough,
  auc,
  topDecileLift: auc * 4,
  brier: 0.05,
  calibration: [],
});

describe('AUC and top-decile lift by month', () => {
  it('draws every calendar month from the first measured to the last, with a gap where none was measured', () => {
    const months = [measuredMonth('2026-10', 0.68), measuredMonth('2025-12', 0.7), measuredMonth('2026-02', 0.73), measuredMonth('2026-01', 0.6, false)];
    const { xAxis, series } = performanceOption(months, createDeskI18n('en').t) as unknown as LineOption;
    expect(xAxis.data).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    expect(series[0].data).toEqual([0.7, null, 0.73, null, null, null, null, null, null, null, 0.68]);
    expect(series[1].data).toEqual([2.8, null, 2.92, null, null, null, null, null, null, null, 2.72]);
  });

  it('has an empty axis when no month is measured yet', () => {
    const { xAxis, series } = performanceOption([measuredMonth('2026-01', 0.6, false)], createDeskI18n('zh-CN').t) as unknown as LineOption;
    expect(xAxis.data).toEqual([]);
    expect(series[0].data).toEqual([]);
  });
});
