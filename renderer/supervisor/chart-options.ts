// Chart options from report data: pure, so what the charts show is testable without a canvas.
import type { TFunction } from 'i18next';
import type { EChartsCoreOption } from 'echarts/core';
import type { TrendPoint, Uplift } from '../../shared/contract/supervisor-reports';
import type { Formatters } from '../format/formatters';

/**
 * The daily trend. `partialDay` is the operator's date the report was made on: its point counts
 * only the hours so far, so it is labelled and shaded as such rather than read as a drop.
 */
export function trendOption(trend: readonly TrendPoint[], t: TFunction, f: Formatters, partialDay: string | null): EChartsCoreOption {
  const dayLabel = (date: string) => (date === partialDay ? t('report.trend.partialDay', { date: f.isoDate(date) }) : f.isoDate(date));
  const partial = trend.some((p) => p.date === partialDay) ? dayLabel(partialDay!) : null;
  const series = (['contacts', 'presented', 'accepted'] as const).map((key, index) => ({
    name: t(`report.trend.${key}`),
    type: 'line',
    smooth: true,
    data: trend.map((p) => (p.date === partialDay ? { value: p[key], symbol: 'emptyCircle', itemStyle: { opacity: 0.5 } } : p[key])),
    ...(index === 0 && partial !== null
      ? {
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(128, 128, 128, 0.12)' },
            label: { show: true, position: 'insideTopRight', formatter: t('report.trend.partialMark') },
            data: [[{ xAxis: partial }, { xAxis: partial }]],
          },
        }
      : {}),
  }));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: trend.map((p) => dayLabel(p.date)) },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  };
}

export function upliftOption(uplift: Uplift, t: TFunction): EChartsCoreOption {
  const groups = [uplift.contacted, uplift.notContacted];
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: [t('report.uplift.contacted'), t('report.uplift.notContacted')] },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, max: 1 },
    series: [
      {
        name: t('report.uplift.churnRate'),
        type: 'bar',
        barWidth: '40%',
        data: groups.map((g) => g.churnRate ?? 0),
        label: { show: true, position: 'top', formatter: (p: { dataIndex: number }) => churnLabel(groups[p.dataIndex]) },
      },
    ],
  };
}

function churnLabel(group: Uplift['contacted'] | undefined): string {
  if (group === undefined || group.churnRate === null) return '—';
  return `${Math.round(group.churnRate * 100)}% (${group.churned}/${group.customers})`;
}
