// Chart options of the models page, pure like chart-options.ts: calibration by decile (predicted
// against observed churn, with the diagonal a calibrated model would follow) and AUC / top-decile
// lift by month of the score date.
import type { TFunction } from 'i18next';
import type { EChartsCoreOption } from 'echarts/core';
import type { MonthPerformance } from '../../shared/contract/model-registry';
import { calendarMonths } from '../../shared/domain/dates';

const percentAxis = { type: 'value', min: 0, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } } as const;

export function calibrationOption(month: MonthPerformance, t: TFunction): EChartsCoreOption {
  const deciles = month.calibration;
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${(v * 100).toFixed(1)}%` },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 40 },
    xAxis: { type: 'category', name: t('models.calibration.decileAxis'), nameLocation: 'middle', nameGap: 26, data: deciles.map((d) => String(d.decile)) },
    yAxis: percentAxis,
    series: [
      { name: t('models.calibration.predicted'), type: 'bar', data: deciles.map((d) => d.meanPredicted) },
      { name: t('models.calibration.observed'), type: 'bar', data: deciles.map((d) => d.observedRate) },
    ],
  };
}

/**
 * AUC and top-decile lift on a calendar axis: a month with no measure (no scores kept, or too few
 * leavers) is a gap in the lines, not a step that reads as one month to the next.
 */
export function performanceOption(months: readonly MonthPerformance[], t: TFunction): EChartsCoreOption {
  const measured = new Map(months.filter((m) => m.enough).map((m) => [m.month, m]));
  const measuredMonths = [...measured.keys()].sort();
  const axis = measuredMonths.length === 0 ? [] : calendarMonths(measuredMonths[0]!, measuredMonths.at(-1)!);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: axis },
    yAxis: [
      { type: 'value', name: 'AUC', min: 0.5, max: 1 },
      { type: 'value', name: t('models.month.lift'), min: 0, splitLine: { show: false } },
    ],
    series: [
      { name: 'AUC', type: 'line', data: axis.map((month) => measured.get(month)?.auc ?? null) },
      { name: t('models.month.lift'), type: 'line', yAxisIndex: 1, data: axis.map((month) => measured.get(month)?.topDecileLift ?? null) },
    ],
  };
}
