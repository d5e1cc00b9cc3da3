// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutcomeReportRow, RetentionReport } from '../../shared/contract/supervisor-reports';
import { createCodeLabels } from '../../renderer/format/code-labels';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import type { Language } from '../../renderer/i18n/languages';
import { outcomesCsv, outcomesXlsx } from '../../renderer/supervisor/export-outcomes';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { FakeDeskClient } from './fake-desk-client';
import { NOW, outcomeRows, REPORT_OFFER_NAMES, RETENTION_REPORT, SUPERVISOR_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

// jsdom has no canvas: the chart component shows the series it was given instead. Downloads are
// captured from URL.createObjectURL (this file's jsdom window only).
vi.mock('../../renderer/supervisor/EChart', () => ({
  EChart: ({ option, testId }: { option: { series: { name: string; data: unknown[] }[]; xAxis: { data: string[] } }; testId: string }) => (
    <div data-testid={testId} data-series={JSON.stringify(option.series.map((s) => [s.name, s.data]))} data-days={JSON.stringify(option.xAxis.data)} />
  ),
}));

const downloads: Blob[] = [];
beforeAll(async () => {
  // The desk loads the oversight screens (this one and the models page) lazily: load that module
  // once here, so the first test does not wait on the import (over a second on a loaded machine,
  // longer than findBy waits) and only the store's answers are awaited.
  await import('../../renderer/screens/OversightScreen');
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

function reportClient(
  rows: OutcomeReportRow[],
  cachedAt: string | null = null,
  answeredTeam = (asked: string | null) => asked,
  retention: RetentionReport = RETENTION_REPORT,
) {
  return new FakeDeskClient({
    'session/current': () => SUPERVISOR_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'reports/retention': (query) => ({
      report: { ...retention, query: { from: query.from, to: query.to, team: answeredTeam(query.team ?? null) } },
      cachedAt,
    }),
    'reports/outcomes': (query) => ({
      report: {
        query: { from: query.from, to: query.to, team: answeredTeam(query.team ?? null) },
        generatedAt: NOW.toISOString(),
        rows,
        truncated: false,
        offerNames: REPORT_OFFER_NAMES,
      },
      cachedAt,
    }),
  });
}

const rowIds = () => screen.queryAllByTestId('outcome-row').map((r) => r.dataset.outcomeId);

/** What an export needs in one language, as the table hands it over. */
function exportLanguage(language: Language) {
  const { t } = createDeskI18n(language);
  return { t, labels: createCodeLabels(t, language), offerNames: REPORT_OFFER_NAMES };
}

/** Codes that must never reach a person: offer and experiment ids, segments, snake_case reasons, empty values. */
const RAW_CODE = /\b(off|exp)-[a-z0-9-]+|\b[A-E]\/(platinum|gold|silver|bronze|none)\b|\b[a-z]+_[a-z_]+\b|\bnull\b|\bundefined\b|\bNaN\b/i;

describe('supervisor view', () => {
  it("offers a team's supervisor only the team they lead, and figures scoped to it are not marked as another period's", async () => {
    // As the central API answers a supervisor: scoped to the team they lead, whatever was asked.
    renderDesk(reportClient(outcomeRows(3), null, () => SUPERVISOR_SESSION.team));
    await screen.findByTestId('kpi-tiles');
    const teams = [...screen.getByTestId<HTMLSelectElement>('report-team').options].map((option) => option.value);
    expect(teams).toEqual([SUPERVISOR_SESSION.team]);
    expect(screen.queryByTestId('report-stale')).toBeNull();
  });

  it('loads the last 60 days for every team and shows the KPI tiles with the counts behind each rate', async () => {
    const client = reportClient(outcomeRows(12));
    renderDesk(client);
    const tiles = await screen.findByTestId('kpi-tiles');
    expect(client.callsTo('reports/retention')).toEqual([{ from: '2025-04-17', to: '2025-06-15' }]);
    expect(client.callsTo('reports/outcomes')).toEqual([{ from: '2025-04-17', to: '2025-06-15' }]);
    expect(within(tiles).getByTestId('kpi-atRiskContacted-value').textContent).toBe('120');
    expect(within(tiles).getByTestId('kpi-saveRate').textContent).toBe('挽留成功率78%接触已满 30 天的 100 位高危客户中 78 位仍在网');
    expect(within(tiles).getByTestId('kpi-presentationRate-value').textContent).toBe('75%');
    expect(within(tiles).getByTestId('kpi-acceptanceRate').textContent).toContain('120 个已接受或拒绝的方案中 45 个被接受');
    expect(within(tiles).getByTestId('kpi-retainedRevenue-value').textContent).toBe('¥86,400.00');
    expect(within(tiles).getByTestId('kpi-averageHandle-value').textContent).toBe('245 秒');
    expect(screen.queryByTestId('report-cached')).toBeNull();

    // The report was made on 2025-06-15 (China): that day's point counts the hours so far and says so.
    const trend = JSON.parse(screen.getByTestId('chart-trend').dataset.series!);
    const today = (value: number) => expect.objectContaining({ value, symbol: 'emptyCircle' });
    expect(trend).toEqual([
      ['接触', [10, today(12)]],
      ['推荐', [8, today(9)]],
      ['接受', [3, today(4)]],
    ]);
    expect(JSON.parse(screen.getByTestId('chart-trend').dataset.days!)).toEqual(['2025/06/14', '2025/06/15(今日,未完)']);
    expect(JSON.parse(screen.getByTestId('chart-uplift').dataset.series!)).toEqual([['流失率', [0.15, 0.3]]]);
    expect(screen.getByTestId('uplift-value').textContent).toBe(
      '差值:已接触客户流失率低 15 个百分点。两组客户本身不同,这不是接触的效果;效果以下方的随机对照组为准。',
    );

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

    await waitFor(() => expect(screen.queryByTestId('report-stale')).toBeNull());

    fireEvent.change(screen.getByTestId('report-from'), { target: { value: '2025-07-01' } });
    fireEvent.click(screen.getByTestId('report-apply'));
    expect((await screen.findByTestId('report-period-invalid')).textContent).toBe('结束日期(2025/06/15)早于开始日期(2025/07/01):请调整后再查询');
    expect(screen.getByTestId('report-from').getAttribute('aria-invalid')).toBe('true');
    expect(client.callsTo('reports/retention')).toHaveLength(2);
    // The last good report stays on screen, marked as the figures of the period it is.
    expect(screen.getByTestId('kpi-tiles')).toBeTruthy();
    expect(screen.getByTestId('report-stale').textContent).toBe('下方数据为 2025/06/01 至 2025/06/15(team-a),不是所选条件的结果');
    // Putting the date back clears both.
    fireEvent.change(screen.getByTestId('report-from'), { target: { value: '2025-06-01' } });
    expect(screen.queryByTestId('report-period-invalid')).toBeNull();
    expect(screen.queryByTestId('report-stale')).toBeNull();
  });

  it('marks the figures on screen as stale when loading the chosen period fails', async () => {
    let fail = false;
    const client = reportClient(outcomeRows(6));
    const retention = client['handlers']['reports/retention']!;
    client['handlers']['reports/retention'] = (query) => {
      if (fail) throw new DeskClientError('offline', 'API down and nothing cached');
      return retention(query);
    };
    renderDesk(client);
    await screen.findByTestId('kpi-tiles');
    fail = true;
    fireEvent.change(screen.getByTestId('report-from'), { target: { value: '2025-06-10' } });
    fireEvent.click(screen.getByTestId('report-apply'));
    expect((await screen.findByTestId('report-error')).dataset.code).toBe('offline');
    expect(screen.getByTestId('report-stale').textContent).toBe('下方数据为 2025/04/17 至 2025/06/15(全部班组),不是所选条件的结果');
    expect(document.querySelector('.supervisor-main')!.getAttribute('data-stale')).toBe('true');
  });

  it('drills down from each KPI tile to the outcome rows behind it', async () => {
    // 12 rows, 4 results in turn, all red-warned; retained revenue on accepted retention rows (0, 4, 8).
    renderDesk(reportClient(outcomeRows(12)));
    await screen.findByTestId('outcomes-table');
    const count = () => screen.getByTestId('report-row-count').dataset.count;
    expect(count()).toBe('12');
    fireEvent.click(screen.getByTestId('kpi-acceptanceRate'));
    expect(screen.getByTestId('kpi-acceptanceRate').getAttribute('aria-pressed')).toBe('true');
    expect(count()).toBe('6'); // accepted + declined
    expect(screen.getByTestId('report-drill').textContent).toContain('方案接受率');
    fireEvent.click(screen.getByTestId('kpi-presentationRate'));
    expect(count()).toBe('9'); // + callbacks
    fireEvent.click(screen.getByTestId('kpi-retainedRevenue'));
    expect(rowIds().sort()).toEqual(['o-000000', 'o-000004', 'o-000008']);
    fireEvent.click(screen.getByTestId('kpi-atRiskContacted'));
    expect(count()).toBe('12');
    // Contacts made within 30 days of the report: no customer's fate is known yet.
    fireEvent.click(screen.getByTestId('kpi-saveRate'));
    expect(count()).toBe('0');
    // Pressed again, or the chip: the whole table again.
    fireEvent.click(screen.getByTestId('kpi-saveRate'));
    expect(count()).toBe('12');
    fireEvent.click(screen.getByTestId('kpi-acceptanceRate'));
    fireEvent.click(screen.getByTestId('report-drill'));
    expect(count()).toBe('12');
    expect(screen.queryByTestId('report-drill')).toBeNull();
    // The handle time comes from call records: not a button, and it says so.
    expect(screen.getByTestId('kpi-averageHandle').tagName).toBe('DIV');
    expect(screen.getByTestId('kpi-averageHandle').textContent).toContain('按通话记录计算');
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

  it('shows the whole text of every cell and header on hover, so a truncated one can still be read', async () => {
    renderDesk(reportClient(outcomeRows(3)));
    await screen.findByTestId('outcomes-table');
    const cells = screen.getAllByTestId('outcome-row').flatMap((row) => [...row.querySelectorAll('[role="cell"]')]);
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell.getAttribute('title')).toBe(cell.textContent);
    const header = screen.getByTestId('sort-offerId');
    expect(header.getAttribute('title')).toBe('方案');
    fireEvent.change(screen.getByTestId('report-group-by'), { target: { value: 'offerId' } });
    const group = screen.getAllByTestId('outcome-group')[0]!;
    expect(group.querySelector('.group-label')!.getAttribute('title')).toBe(group.querySelector('.group-label strong')!.textContent);
  });

  it("groups by agent (or offer) with each group's count and acceptance rate", async () => {
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
    await screen.findByTestId('outcomes-table');
    const rendered = screen.getAllByTestId('outcome-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
    expect(screen.getByTestId('report-row-count').dataset.count).toBe('100000');
  }, 60_000);

  it('exports the filtered rows as CSV in the interface language, operator time, with a byte-order mark for Excel', async () => {
    renderDesk(reportClient(outcomeRows(8)));
    await screen.findByTestId('outcomes-table');
    fireEvent.change(screen.getByTestId('report-filter-result'), { target: { value: 'declined' } });
    fireEvent.click(screen.getByTestId('export-csv'));
    expect(downloads).toHaveLength(1);
    const bytes = new Uint8Array(await downloads[0]!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true })
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe('时间,坐席,班组,渠道,号码,阶段,价值等级,预警,细分群,方案,方案类型,结果,原因,预期价值,挽留收入');
    // NOW is 2025-06-15T09:00:00Z, 17:00 in China.
    expect(lines.slice(1)).toEqual([
      '2025-06-15 16:59:00,agent02,team-a,热线,138****0001,衰退期,银,红色预警,衰退期 · 银,网络问题致歉礼包,客户关怀,已拒绝,价格,110,0',
      '2025-06-15 16:55:00,agent03,team-a,热线,138****0005,离网期,银,红色预警,离网期 · 银,网络问题致歉礼包,客户关怀,已拒绝,价格,150,0',
    ]);
    for (const line of lines) expect(line).not.toMatch(RAW_CODE);
  });

  it('says what each rate counts, so a save rate of 0 of 0 beside one at-risk customer contacted is no contradiction, in both languages', async () => {
    // Contacted this period while warned, but nobody's contact is old enough for their fate to be known.
    const report = { ...RETENTION_REPORT, kpis: { ...RETENTION_REPORT.kpis, atRiskContacted: 1, saveRate: { numerator: 0, denominator: 0, rate: null } } };
    const { i18n } = renderDesk(reportClient(outcomeRows(3), null, (asked) => asked, report));
    const detail = (id: string) =>
      within(screen.getByTestId(`kpi-${id}`)).getByText((_, element) => element?.classList.contains('kpi-detail') ?? false).textContent;
    await screen.findByTestId('kpi-tiles');
    expect(detail('saveRate')).toBe('接触已满 30 天的 0 位高危客户中 0 位仍在网');
    expect(detail('presentationRate')).toBe('200 次接触中 150 次推荐了方案');
    expect(detail('acceptanceRate')).toBe('120 个已接受或拒绝的方案中 45 个被接受');
    await act(() => i18n.changeLanguage('en'));
    expect(detail('saveRate')).toBe('0 of 0 at-risk customers contacted 30+ days ago are still customers');
    expect(detail('presentationRate')).toBe('150 of 200 contacts had an offer presented');
    expect(detail('acceptanceRate')).toBe('45 of 120 accepted or declined offers were accepted');
  });

  it('calls the contacted-versus-not gap a difference between groups, not the effect of contacting, whichever way it goes', async () => {
    const worse = { ...RETENTION_REPORT, uplift: { ...RETENTION_REPORT.uplift, uplift: -0.003 } };
    const { i18n } = renderDesk(reportClient(outcomeRows(3), null, (asked) => asked, worse));
    await screen.findByTestId('kpi-tiles');
    expect(screen.getByTestId('uplift-value').textContent).toBe(
      '差值:已接触客户流失率高 0.3 个百分点。两组客户本身不同,这不是接触的效果;效果以下方的随机对照组为准。',
    );
    await act(() => i18n.changeLanguage('en'));
    expect(screen.getByTestId('uplift-value').textContent).toBe(
      'Difference: contacted customers churned 0.3 percentage points more. The groups differ in who was contacted, so this is not the effect of contacting: that is measured against the control groups below.',
    );
  });

  it('says "no difference" when the contacted-versus-not gap rounds to nothing, not "0 percentage points less"', async () => {
    const alike = { ...RETENTION_REPORT, uplift: { ...RETENTION_REPORT.uplift, uplift: 0.00001 } };
    const { i18n } = renderDesk(reportClient(outcomeRows(3), null, (asked) => asked, alike));
    await screen.findByTestId('kpi-tiles');
    expect(screen.getByTestId('uplift-value').textContent).toBe('无差异:已接触与未接触客户流失率相同。两组客户本身不同;接触的效果以下方的随机对照组为准。');
    await act(() => i18n.changeLanguage('en'));
    expect(screen.getByTestId('uplift-value').textContent).toBe(
      'No difference: contacted and not-contacted customers churned alike. The groups differ in who was contacted; the effect of contacting is measured against the control groups below.',
    );
  });

  it('shows no code anywhere: cells, groups and experiments in words, in both languages', async () => {
    // Not presented: no offer, so no offer kind.
    const rows = outcomeRows(12).map((r) => (r.result === 'not_presented' ? { ...r, offerId: null, offerKind: null } : r));
    const { i18n } = renderDesk(reportClient(rows));
    for (const language of ['zh-CN', 'en'] as const) {
      await act(() => i18n.changeLanguage(language));
      const table = await screen.findByTestId('outcomes-table');
      expect(table.textContent).not.toMatch(RAW_CODE);
      expect(screen.getByTestId('experiments').textContent).not.toMatch(RAW_CODE);
      for (const column of ['offerId', 'segment', 'stage', 'agentId'] as const) {
        fireEvent.change(screen.getByTestId('report-group-by'), { target: { value: column } });
        expect(screen.getByTestId('outcomes-table').textContent, column).not.toMatch(RAW_CODE);
      }
      fireEvent.change(screen.getByTestId('report-group-by'), { target: { value: '' } });
    }
    // Not presented rows group under "no offer", in words.
    fireEvent.change(screen.getByTestId('report-group-by'), { target: { value: 'offerId' } });
    expect(screen.getAllByTestId('outcome-group').map((g) => g.querySelector('.group-label')!.textContent)).toEqual(
      expect.arrayContaining(['Offer: Renew and get 20 GB', 'Offer: Network apology credit', 'Offer: No offer']),
    );
    const arms = screen.getAllByTestId('experiment-arm');
    expect(arms[0]!.textContent).toContain('Test of “Renew and get 20 GB”');
    expect(arms[1]!.textContent).toContain('Keep your number for 59');
  });

  it('finds rows by the words shown, not only by the codes behind them', async () => {
    renderDesk(reportClient(outcomeRows(12)));
    await screen.findByTestId('outcomes-table');
    fireEvent.change(screen.getByTestId('report-filter-text'), { target: { value: '致歉礼包' } });
    expect(rowIds()).toHaveLength(6);
    fireEvent.change(screen.getByTestId('report-filter-text'), { target: { value: '离网期' } });
    expect(rowIds().sort()).toEqual(['o-000002', 'o-000005', 'o-000008', 'o-000011']);
  });
});

describe('exports', () => {
  it('quotes commas and quotes, leaves empty cells for missing values and defuses formulas', () => {
    const [row] = outcomeRows(1);
    const csv = outcomesCsv([{ ...row!, agentId: '=HYPERLINK("x")', team: 'a,b', offerId: null }], exportLanguage('en'));
    const [header, line] = csv.split('\r\n');
    expect(header).toBe('\uFEFFTime,Agent,Team,Channel,Number,Stage,Tier,Warning,Segment,Offer,Offer kind,Result,Reason,Expected value,Retained revenue');
    expect(line).toBe(
      `2025-06-15 17:00:00,"'=HYPERLINK(""x"")","a,b",Hotline,138****0000,Maturity,Silver,Red warning,Maturity · Silver,No offer,Retention,Accepted,,100,1200`,
    );
  });

  it('writes the same rows into an Excel workbook', async () => {
    const blob = await outcomesXlsx(outcomeRows(3), exportLanguage('en'));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    // An .xlsx is a zip archive: it starts with "PK".
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
    expect(blob.size).toBeGreaterThan(1000);
  });
});
