// The descriptive uplift chart: churn rates of a few percent fill the chart instead of being slivers
// under an axis to 100 %, and each bar still says its rate and the counts behind it.
import { describe, expect, it } from 'vitest';
import { createFormatters } from '../../renderer/format/formatters';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import { churnAxisOf, upliftOption } from '../../renderer/supervisor/chart-options';
import type { Uplift } from '../../shared/contract/supervisor-reports';

interface BarOption {
  yAxis: { min: number; max: number; interval: number; axisLabel: { formatter: (v: number) => string } };
  series: [{ data: number[]; label: { formatter: (p: { dataIndex: number }) => string } }];
}

const DEMO_UPLIFT: Uplift = {
  contacted: { customers: 416, churned: 13, churnRate: 13 / 416 },
  notContacted: { customers: 5851, churned: 415, churnRate: 415 / 5851 },
  uplift: 415 / 5851 - 13 / 416,
};

function drawn(uplift: Uplift, language: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = createDeskI18n(language);
  return upliftOption(uplift, i18n.t, createFormatters(language)) as unknown as BarOption;
}

describe('uplift chart', () => {
  it('scales the churn axis to the higher bar, in whole-percent ticks, and labels both bars with rate and counts', () => {
    const { yAxis, series } = drawn(DEMO_UPLIFT);
    // 7.1 % is the higher bar: the axis ends at 10 % in 2-point steps.
    expect(yAxis).toMatchObject({ min: 0, max: 0.1, interval: 0.02 });
    expect([0, 0.02, 0.04, 0.1].map(yAxis.axisLabel.formatter)).toEqual(['0%', '2%', '4%', '10%']);
    expect(series[0].data).toEqual([13 / 416, 415 / 5851]);
    expect([0, 1].map((dataIndex) => series[0].label.formatter({ dataIndex }))).toEqual(['3% (13/416)', '7% (415/5,851)']);
  });

  it('keeps a sensible axis for rates of none and for high rates, never past 100 %', () => {
    expect(churnAxisOf([0, 0])).toEqual({ max: 0.05, interval: 0.01 });
    expect(churnAxisOf([])).toEqual({ max: 0.05, interval: 0.01 });
    expect(churnAxisOf([0.02, 0.03])).toEqual({ max: 0.05, interval: 0.01 });
    expect(churnAxisOf([0.15, 0.3])).toEqual({ max: 0.4, interval: 0.1 });
    expect(churnAxisOf([0.9, 0.2])).toEqual({ max: 1, interval: 0.2 });
    expect(churnAxisOf([1])).toEqual({ max: 1, interval: 0.2 });
  });

  it('labels a group with no customers as not applicable, not as 0 %', () => {
    const uplift: Uplift = { contacted: { customers: 0, churned: 0, churnRate: null }, notContacted: DEMO_UPLIFT.notContacted, uplift: null };
    const { series } = drawn(uplift, 'en');
    expect([0, 1].map((dataIndex) => series[0].label.formatter({ dataIndex }))).toEqual(['—', '7% (415/5,851)']);
  });
});
