// @vitest-environment jsdom
// The models page from the store's answer: it says plainly when there is not enough realised churn,
// shows the months, the shadow comparison and the drift table (largest PSI first, flagged in words)
// once there is, and the tabs move between the retention review and it.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MonthWarningPrecision } from '../../shared/analytics/monitoring/warning-precision';
import type { ModelMonitoringReport, ModelVersionSummary } from '../../shared/contract/model-registry';
import { FakeDeskClient } from './fake-desk-client';
import { NOW, RETENTION_REPORT, SUPERVISOR_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

vi.mock('../../renderer/supervisor/EChart', () => ({
  EChart: ({ option, testId }: { option: { series: { name: string; data: unknown[] }[] }; testId: string }) => (
    <div data-testid={testId} data-series={JSON.stringify(option.series.map((s) => [s.name, s.data]))} />
  ),
}));

beforeAll(async () => {
  await import('../../renderer/screens/OversightScreen');
});
afterEach(cleanup);

const champion: ModelVersionSummary = {
  modelId: 'book-gbdt-2026-06-01',
  status: 'champion',
  algo: 'gbdt',
  registeredAt: NOW.toISOString(),
  registeredBy: 'admin01',
  statusChangedAt: NOW.toISOString(),
  trainingRows: 5000,
  trainingChurnRate: 0.17,
  features: ['complaints_30d', 'tenure_months'],
  metrics: { auc: 0.791, brier: 0.108, topDecileLift: 3.59 },
};

const level = (name: 'red' | 'orange' | 'yellow', target: number, customers: number, churned: number, atOrAbove: [number, number], monthChurned: number) => ({
  level: name,
  target,
  trainingPrecision: target + 0.01,
  customers,
  churned,
  precision: churned / customers,
  customersAtOrAbove: atOrAbove[0],
  churnedAtOrAbove: atOrAbove[1],
  precisionAtOrAbove: atOrAbove[1] / atOrAbove[0],
  recall: atOrAbove[1] / monthChurned,
  farBelowTarget: name === 'red' && churned / customers < 0.4,
});
/** Red 26 of 100 left, orange 24 of 200, yellow 26 of 400, unwarned 74 of 2,300: 150 leavers of 3,000. */
const WARNINGS: MonthWarningPrecision = {
  month: '2025-02',
  customers: 3000,
  churned: 150,
  levels: [level('red', 0.7, 100, 26, [100, 26], 150), level('orange', 0.5, 200, 24, [300, 50], 150), level('yellow', 0.3, 400, 26, [700, 76], 150)],
  unwarnedCustomers: 2300,
  unwarnedChurned: 74,
};

const EMPTY: ModelMonitoringReport = {
  generatedAt: NOW.toISOString(),
  horizonDays: 90,
  minimumChurned: 20,
  driftThreshold: 0.2,
  champion,
  challenger: null,
  months: [{ month: '2025-05', customers: 300, churned: 4, windowClosed: false, enough: false, auc: null, topDecileLift: null, brier: null, calibration: [] }],
  warningPrecision: [],
  driftComputedAt: NOW.toISOString(),
  driftCustomers: 1655,
  drift: [
    { feature: 'tenure_months', psi: 0.012, flagged: false },
    { feature: 'complaints_30d', psi: 0.41, flagged: true },
  ],
  shadow: null,
};

const calibration = Array.from({ length: 10 }, (_, i) => ({ decile: i + 1, customers: 30, meanPredicted: i / 20, observedRate: i / 18 }));
const MEASURED: ModelMonitoringReport = {
  ...EMPTY,
  challenger: { ...champion, modelId: 'book-gbdt-2026-06-15', status: 'challenger' },
  months: [
    { month: '2025-02', customers: 300, churned: 40, windowClosed: true, enough: true, auc: 0.8123, topDecileLift: 3.1, brier: 0.09, calibration },
    ...EMPTY.months,
  ],
  shadow: { modelId: 'book-gbdt-2026-06-15', customers: 150, churned: 25, enough: true, championAuc: 0.8, challengerAuc: 0.834 },
};

function modelsClient(report: ModelMonitoringReport) {
  return new FakeDeskClient({
    'session/current': () => SUPERVISOR_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'reports/retention': ({ from, to }) => ({ report: { ...RETENTION_REPORT, query: { from, to, team: null } }, cachedAt: null }),
    'reports/outcomes': ({ from, to }) => ({
      report: { query: { from, to, team: null }, generatedAt: NOW.toISOString(), rows: [], truncated: false, offerNames: {} },
      cachedAt: null,
    }),
    'reports/models': () => ({ report, cachedAt: null }),
  });
}

async function openModelsPage(report: ModelMonitoringReport, language?: 'en') {
  const client = modelsClient(report);
  renderDesk(client, language === undefined ? undefined : { language });
  fireEvent.click(await screen.findByTestId('page-models'));
  await screen.findByTestId('model-drift');
  return client;
}

describe('models page', () => {
  it('says plainly that there is not enough realised churn yet, and flags the drifted feature', async () => {
    const client = await openModelsPage(EMPTY);
    expect(client.callsTo('reports/models')).toEqual([{}]);
    expect(screen.getByTestId('not-enough-churn').textContent).toContain('已实现的流失还不够');
    expect(screen.getByTestId('not-enough-churn').textContent).toContain('已保存 300 条评分,其后实际流失 4 人');
    expect(screen.queryByTestId('chart-calibration')).toBeNull();
    expect(screen.getByTestId('model-champion').textContent).toContain('AUC 0.791 · Brier 0.108 · 前10%提升度 3.59');
    const rows = screen.getAllByTestId('drift-row');
    expect(rows.map((r) => [r.dataset.feature, r.dataset.flagged])).toEqual([
      ['complaints_30d', 'true'],
      ['tenure_months', 'false'],
    ]);
    expect(rows[0]!.textContent).toBe('近30天投诉次数0.410漂移超过阈值');
    // Retraining cannot help with what is already in the months the model learnt from: the summary says what to watch.
    expect(screen.getByTestId('drift-summary').textContent).toContain(
      '1 个特征的 PSI 超过 0.2(1,655 名在网客户):分布已明显偏离模型训练所用的月份。请关注上方的实际 AUC 与校准;待更新月份的观察期结束后再重新训练。',
    );
    expect(screen.getByTestId('drift-computed-at').textContent).toContain('最近一次客户库评分时');
    // Ascending on a click, the smallest first.
    fireEvent.click(screen.getByTestId('sort-psi'));
    expect(screen.getAllByTestId('drift-row').map((r) => r.dataset.feature)).toEqual(['tenure_months', 'complaints_30d']);
  });

  it('tells a supervisor, not an operator of the CLI, what will happen before the book was ever scored', async () => {
    await openModelsPage({ ...EMPTY, champion: null, months: [], driftComputedAt: null, driftCustomers: 0, drift: [] });
    const page = screen.getByTestId('model-champion').parentElement!.parentElement!.textContent!;
    expect(screen.getByTestId('model-champion').textContent).toContain('请联系系统管理员');
    expect(screen.getByTestId('not-enough-churn').textContent).toContain('90 天的观察期');
    expect(screen.getByTestId('drift-summary').textContent).toContain('尚未测算漂移');
    expect(screen.queryByTestId('drift-computed-at')).toBeNull();
    expect(page).not.toContain('clm ');
  });

  it('shows calibration and AUC by month once a month has enough leavers, and the shadow challenger against the champion', async () => {
    await openModelsPage(MEASURED);
    const calibrationChart = await screen.findByTestId('chart-calibration');
    expect(JSON.parse(calibrationChart.dataset.series!)).toEqual([
      ['平均预测流失率', calibration.map((d) => d.meanPredicted)],
      ['实际流失率', calibration.map((d) => d.observedRate)],
    ]);
    const months = screen.getAllByTestId('model-month');
    expect(months.map((m) => m.dataset.enough)).toEqual(['true', 'false']);
    expect(within(months[0]!).getByText('0.812')).toBeTruthy();
    expect(months[1]!.textContent).toContain('流失不足,未计算');
    expect(screen.getByTestId('shadow-compare').textContent).toBe('同一批 150 名客户(实际流失 25 人):冠军 AUC 0.800,挑战者 AUC 0.834。');
    expect(screen.getByTestId('model-challenger').dataset.modelId).toBe('book-gbdt-2026-06-15');

    fireEvent.click(screen.getByTestId('page-retention'));
    await screen.findByTestId('kpi-tiles');
    expect(screen.queryByTestId('model-drift')).toBeNull();
  });

  it('draws calibration from the last month whose window has closed, and says so when only an open month is measured', async () => {
    const lowSoFar = calibration.map((d) => ({ ...d, observedRate: d.observedRate / 3 }));
    const open = { ...MEASURED.months[0]!, month: '2025-05', windowClosed: false, calibration: lowSoFar };
    await openModelsPage({ ...MEASURED, months: [MEASURED.months[0]!, open] });
    const chart = await screen.findByTestId('chart-calibration');
    expect(JSON.parse(chart.dataset.series!)[1]).toEqual(['实际流失率', calibration.map((d) => d.observedRate)]);
    expect(chart.parentElement!.textContent).toContain('按十分位校准(2025-02 评分)');
    cleanup();

    await openModelsPage({ ...MEASURED, months: [open] }, 'en');
    const onlyOpen = await screen.findByTestId('chart-calibration');
    expect(JSON.parse(onlyOpen.dataset.series!)[1]).toEqual(['Observed churn', lowSoFar.map((d) => d.observedRate)]);
    expect(onlyOpen.parentElement!.textContent).toContain('scores of 2025-05, window still open: observed churn will rise');
  });

  it('says so above the charts when the last final month falls well short of the training metrics, and not when it holds up', async () => {
    await openModelsPage(MEASURED);
    expect(screen.queryByTestId('short-of-training')).toBeNull();
    cleanup();

    const short = { ...MEASURED.months[0]!, auc: 0.6, topDecileLift: 0.7 };
    await openModelsPage({ ...MEASURED, months: [short, ...EMPTY.months] });
    const alert = await screen.findByTestId('short-of-training');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('2025-02 的评分:AUC 0.600,前10%提升度 0.70;训练时:AUC 0.791,前10%提升度 3.59。');
    expect(alert.textContent).toContain('请联系系统管理员复核模型');
  });

  it("shows each level's realised precision and recall next to its training target, and says in words when red is far below it", async () => {
    await openModelsPage({ ...MEASURED, warningPrecision: [WARNINGS] });
    const rows = screen.getAllByTestId('warning-precision-row');
    expect(rows.map((r) => [r.dataset.level, r.dataset.farBelow])).toEqual([
      ['red', 'true'],
      ['orange', 'false'],
      ['yellow', 'false'],
      ['none', undefined],
    ]);
    // Level, customers, left, precision, this level or above, training target, recall.
    expect([...rows[0]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['2025-02', '红色预警', '100', '26', '26%', '26%', '70%', '17%']);
    expect([...rows[1]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['橙色预警', '200', '24', '12%', '17%', '50%', '33%']);
    expect([...rows[3]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['无预警', '2,300', '74', '3%', '—', '—', '—']);
    const alert = screen.getByTestId('red-far-below-target');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('红色预警不等于“70% 会流失”');
    expect(alert.textContent).toContain('2025-02 的评分中,红色预警客户 100 人,90 天内实际流失 26 人(命中率 26%),远低于训练时设定的目标 70%。');
    cleanup();

    await openModelsPage({ ...MEASURED, warningPrecision: [WARNINGS] }, 'en');
    expect(screen.getByTestId('warning-precision').textContent).toContain('How the warning levels held up');
    expect(screen.getByTestId('red-far-below-target').textContent).toContain(
      'Of the 100 customers warned red in the scores of 2025-02, 26 left within 90 days (26%), far below the 70% the level was set for at training.',
    );
    expect([...screen.getAllByTestId('warning-precision-row')[2]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      'Yellow warning',
      '400',
      '26',
      '7%',
      '11%',
      '30%',
      '51%',
    ]);
  });

  it('says nothing of red when it holds up, and that no month is final yet when none is', async () => {
    const held = { ...WARNINGS, levels: WARNINGS.levels.map((l) => ({ ...l, farBelowTarget: false })) };
    await openModelsPage({ ...MEASURED, warningPrecision: [held] });
    expect(screen.getAllByTestId('warning-precision-row')).toHaveLength(4);
    expect(screen.queryByTestId('red-far-below-target')).toBeNull();
    cleanup();

    await openModelsPage(EMPTY);
    expect(screen.getByTestId('warning-precision').textContent).toContain('还没有已结束 90 天观察期的月份');
  });
});
