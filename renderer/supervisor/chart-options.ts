// Chart options from report data: pure, so what the charts show is testable without a canvas.
import type { TFunction } from 'i18next';
import type { EChartsCoreOption } from 'echarts/core';
import type { TrendPoint, Uplift } from '../../shared/contract/reports';
import type { Formatters } from '../format/formatters';

export function trendOption(trend: readonly TrendPoint[], t: TFunction, f: Formatters): EChartsCoreOption {
  const series = (['contacts', 'presented', 'accepted'] as const).map((key) => ({
    name: t(`report.trend.${key}`),
    type: 'line',
    smooth: true,
    data: trend.map((p) => p[key]),
  }));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: trend.map((p) => f.isoDate(p.date)) },
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
