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

// The churn axis of the uplift chart reaches a little above the higher bar (room for its label), in
// whole-percent ticks, so rates of a few percent are not slivers under an axis to 100 %; it spans at
// least UPLIFT_AXIS_MIN_PERCENT, so two rates of 0 % still draw an axis, and at most 100 %.
const UPLIFT_AXIS_MIN_PERCENT = 5;
const UPLIFT_AXIS_HEADROOM = 1.2;
const UPLIFT_AXIS_TICKS = 5;
const UPLIFT_TICK_PERCENTS = [1, 2, 5, 10, 20] as const;

/** The top of the churn axis and its tick step, both as fractions. */
export function churnAxisOf(rates: readonly number[]): { max: number; interval: number } {
  const wanted = Math.max(UPLIFT_AXIS_MIN_PERCENT, Math.max(0, ...rates) * 100 * UPLIFT_AXIS_HEADROOM);
  const step = UPLIFT_TICK_PERCENTS.find((percent) => percent * UPLIFT_AXIS_TICKS >= wanted) ?? UPLIFT_TICK_PERCENTS.at(-1)!;
  return { max: Math.min(100, Math.ceil(wanted / step) * step) / 100, interval: step / 100 };
}

export function upliftOption(uplift: Uplift, t: TFunction, f: Formatters): EChartsCoreOption {
  const groups = [uplift.contacted, uplift.notContacted];
  const churnLabel = (group: Uplift['contacted'] | undefined): string =>
    group === undefined || group.churnRate === null
      ? t('value.notApplicable')
      : `${f.share(group.churnRate)} (${f.integer(group.churned)}/${f.integer(group.customers)})`;
  return {
    tooltip: { trigger: 'axis', valueFormatter: (_: unknown, dataIndex: number) => churnLabel(groups[dataIndex]) },
    grid: { left: 48, right: 16, top: 24, bottom: 24 },
    xAxis: { type: 'category', data: [t('report.uplift.contacted'), t('report.uplift.notContacted')] },
    yAxis: {
      type: 'value',
      min: 0,
      ...churnAxisOf(groups.flatMap((g) => (g.churnRate === null ? [] : [g.churnRate]))),
      axisLabel: { formatter: (v: number) => f.percentPoints(Math.round(v * 100)) },
    },
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
