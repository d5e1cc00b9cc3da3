// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutcomeReportRow } from '../../shared/contract/reports';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import { outcomesCsv, outcomesXlsx } from '../../renderer/supervisor/export-outcomes';
import { FakeDeskClient } from './fake-desk-client';
import { NOW, outcomeRows, RETENTION_REPORT, SUPERVISOR_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

// jsdom has no canvas: the chart component shows the series it was given instead. Downloads are
// captured from URL.createObjectURL (this file's jsdom window only).
vi.mock('../../renderer/supervisor/EChart', () => ({
  EChart: ({ option, testId }: { option: { series: { name: string; data: unknown[] }[] }; testId: string }) => (
    <div data-testid={testId} data-series={JSON.stringify(option.series.map((s) => [s.name, s.data]))} />
  ),
}));

const downloads: Blob[] = [];
beforeAll(() => {
  URL.createObjectURL = (blob: Blob) => {
    downloads.push(blob);
    return `blob:test-${downloads.length}`;
  };
  URL.revokeObjectURL = () => undefined;
  HTMLAnchorElement.prototype.click = () => undefined;
});
afterEach(() => {
  cleanup();
  downloads.length = 0;
});

function reportClient(rows: OutcomeReportRow[], cachedAt: string | null = null) {
  return new FakeDeskClient({
    'session/current': () => SUPERVISOR_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'reports/retention': () => ({ report: RETENTION_REPORT, cachedAt }),
    'reports/outcomes': (query) => ({
      report: { query: { from: query.from, to: query.to, team: query.team ?? null }, generatedAt: NOW.toISOString(), rows, truncated: false },
      cachedAt,
    }),
  });
}

const rowIds = () => screen.queryAllByTestId('outcome-row').map((r) => r.dataset.outcomeId);

describe('supervisor view', () => {
  it('loads the last 30 days for every team and shows the KPI tiles with the counts behind each rate', async () => {
    const client = reportClient(outcomeRows(12));
    renderDesk(client);
    const tiles = await screen.findByTestId('kpi-tiles');
    expect(client.callsTo('reports/retention')).toEqual([{ from: '2025-05-17', to: '2025-06-15' }]);
    expect(client.callsTo('reports/outcomes')).toEqual([{ from: '2025-05-17', to: '2025-06-15' }]);
    expect(within(tiles).getByTestId('kpi-atRiskContacted-value').textContent).toBe('120');
    expect(within(tiles).getByTestId('kpi-saveRate').textContent).toBe('挽留成功率78%78 / 100');
    expect(within(tiles).getByTestId('kpi-presentationRate-value').textContent).toBe('75%');
    expect(within(tiles).getByTestId('kpi-acceptanceRate').textContent).toContain('45 / 120');
    expect(within(tiles).getByTestId('kpi-retainedRevenue-value').textContent).toBe('¥86,400.00');
    expect(within(tiles).getByTestId('kpi-averageHandle-value').textContent).toBe('245 秒');
    expect(screen.queryByTestId('report-cached')).toBeNull();

    const trend = JSON.parse(screen.getByTestId('chart-trend').dataset.series!);
    expect(trend).toEqual([
      ['接触', [10, 12]],
      ['推荐', [8, 9]],
      ['接受', [3, 4]],
    ]);
    expect(JSON.parse(screen.getByTestId('chart-uplift').dataset.series!)).toEqual([['流失率', [0.15, 0.3]]]);
    expect(screen.getByTestId('uplift-value').textContent).toBe('提升:接触后流失率低 15 个百分点');

    const arms = screen.getAllByTestId('experiment-arm');
    expect(arms.map((a) => a.dataset.arm)).toEqual(['champion', 'challenger']);
    expect(arms[1]!.textContent).toContain('30% – 59%');
    expect(within(arms[1]!).getByTestId('experiment-beats').textContent).toBe('76%');
  });

  it('reloads for the period and team picked, and refuses a period that ends before it starts', async () => {
    const client = reportClient(outcomeRows(6));
    renderDesk(client);
    await screen.findByTestId('kpi-tiles');
    fireEvent.change(screen.getByTestId('report-from'), { target: { value: '2025-06-01' } });
    fireEvent.change(screen.getByTestId('report-team'), { target: { value: 'team-a' } });
    fireEvent.click(screen.getByTestId('report-apply'));
    await waitFor(() => expect(client.callsTo('reports/retention')).toHaveLength(2));
    expect(client.callsTo('reports/outcomes')[1]).toEqual({ from: '2025-06-01', to: '2025-06-15', team: 'team-a' });

    fireEvent.change(screen.getByTestId('report-from'), { target: { value: '2025-07-01' } });
    fireEvent.click(screen.getByTestId('report-apply'));
    expect((await screen.findByTestId('report-error')).dataset.code).toBe('bad_request');
    expect(client.callsTo('reports/retention')).toHaveLength(2);
    // The last good report stays on screen.
    expect(screen.getByTestId('kpi-tiles')).toBeTruthy();
  });

  it('says when it shows the cached report (offline)', async () => {
    renderDesk(reportClient(outcomeRows(3), '2025-06-14T12:00:00Z'));
    expect((await screen.findByTestId('report-cached')).textContent).toMatch(/^离线:显示 .* 缓存的报表$/);
  });

  it('filters the outcome table by text and result, and sorts by a clicked column', async () => {
    renderDesk(reportClient(outcomeRows(12)));
    await screen.findByTestId('outcomes-table');
    // Newest first by default.
    expect(rowIds()[0]).toBe('o-000000');

    fireEvent.change(screen.getByTestId('report-filter-text'), { target: { value: 'agent02' } });
    expect(rowIds().sort()).toEqual(['o-000001', 'o-000004', 'o-000007', 'o-000010']);
    fireEvent.change(screen.getByTestId('report-filter-result'), { target: { value: 'accepted' } });
    expect(rowIds()).toEqual(['o-000004']);
    expect(screen.getByTestId('report-row-count').dataset.count).toBe('1');
    fireEvent.change(screen.getByTestId('report-filter-text'), { target: { value: '' } });
    expect(rowIds().sort()).toEqual(['o-000000', 'o-000004', 'o-000008']);
    fireEvent.change(screen.getByTestId('report-filter-result'), { target: { value: '' } });

    // Numbers sort largest first, a second click reverses.
    const header = screen.getByTestId('sort-expectedValue');
    const values = () => screen.getAllByTestId('outcome-row').map((r) => Number(r.querySelector('.col-expectedValue')!.textContent!.replace(/[^\d.]/g, '')));
    fireEvent.click(header);
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(values()).toEqual([160, 150, 140, 140, 130, 130, 120, 120, 110, 110, 100, 100]);
    fireEvent.click(header);
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(values().slice(0, 3)).toEqual([100, 100, 110]);
  });

  it('groups by agent (or offer) with each group\'s count and acceptance rate', async () => {
    renderDesk(reportClient(outcomeRows(12)));
    await screen.findByTestId('outcomes-table');
    fireEvent.change(screen.getByTestId('report-group-by'), { target: { value: 'agentId' } });
    const groups = screen.getAllByTestId('outcome-group');
    expect(groups.map((g) => [g.dataset.group, g.dataset.count])).toEqual(
      expect.arrayContaining([
        ['agent01', '4'],
        ['agent02', '4'],
        ['agent03', '4'],
      ]),
    );
    expect(groups).toHaveLength(3);
    expect(screen.queryAllByTestId('outcome-row')).toHaveLength(0);
    // agent01 has rows 0, 3, 6, 9: accepted, not presented, callback, declined → 1 of 2 presented.
    const agent01 = groups.find((g) => g.dataset.group === 'agent01')!;
    expect(within(agent01).getByTestId('group-acceptance').textContent).toBe('接受率 50%(1/2)');

    // Filters apply before grouping.
    fireEvent.change(screen.getByTestId('report-filter-result'), { target: { value: 'accepted' } });
    fireEvent.change(screen.getByTestId('report-group-by'), { target: { value: 'offerId' } });
    const byOffer = screen.getAllByTestId('outcome-group');
    expect(byOffer.map((g) => [g.dataset.group, g.dataset.count])).toEqual([['off-ret-1', '3']]);
    expect(within(byOffer[0]!).getByTestId('group-acceptance').textContent).toBe('接受率 100%(3/3)');
  });

  it('keeps only the visible rows of 100,000 in the DOM', async () => {
    renderDesk(reportClient(outcomeRows(100_000)));
    await screen.findByTestId('outcomes-table', {}, { timeout: 30_000 });
    const rendered = screen.getAllByTestId('outcome-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
    expect(screen.getByTestId('report-row-count').dataset.count).toBe('100000');
  }, 60_000);

  it('exports the filtered rows as CSV', async () => {
    renderDesk(reportClient(outcomeRows(8)));
    await screen.findByTestId('outcomes-table');
    fireEvent.change(screen.getByTestId('report-filter-result'), { target: { value: 'declined' } });
    fireEvent.click(screen.getByTestId('export-csv'));
    expect(downloads).toHaveLength(1);
    const lines = (await downloads[0]!.text()).split('\r\n');
    expect(lines[0]).toBe('时间,坐席,班组,渠道,号码,阶段,价值等级,预警,细分群,方案,方案类型,结果,原因,预期价值,挽留收入');
    expect(lines.slice(1)).toEqual([
      `${new Date(NOW.getTime() - 60_000).toISOString()},agent02,team-a,hotline,138****0001,D,silver,red,D/silver,off-care-1,care,declined,price,110,0`,
      `${new Date(NOW.getTime() - 5 * 60_000).toISOString()},agent03,team-a,hotline,138****0005,E,silver,red,E/silver,off-care-1,care,declined,price,150,0`,
    ]);
  });
});

describe('exports', () => {
  it('quotes commas and quotes, leaves empty cells for missing values and defuses formulas', () => {
    const [row] = outcomeRows(1);
    const csv = outcomesCsv([{ ...row!, agentId: '=HYPERLINK("x")', team: null, segment: 'a,b' }], createDeskI18n('en').t);
    const [header, line] = csv.split('\r\n');
    expect(header).toBe('Time,Agent,Team,Channel,Number,Stage,Tier,Warning,Segment,Offer,Offer kind,Result,Reason,Expected value,Retained revenue');
    expect(line).toBe(`${row!.recordedAt},"'=HYPERLINK(""x"")",,hotline,138****0000,C,silver,red,"a,b",off-ret-1,retention,accepted,,100,1200`);
  });

  it('writes the same rows into an Excel workbook', async () => {
    const blob = await outcomesXlsx(outcomeRows(3), createDeskI18n('en').t);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    // An .xlsx is a zip archive: it starts with "PK".
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
    expect(blob.size).toBeGreaterThan(1000);
  });
});
