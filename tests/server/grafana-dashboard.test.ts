// docs/operations/grafana-dashboard.json against what GET /metrics really exposes: every metric a
// panel or a variable queries is one the server serves, every label a query groups or filters by is
// one of its labels, and every per-team desk metric has a panel. A renamed metric would otherwise
// leave an empty panel that nobody notices until it is needed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { bearer, login, outcomeItem, startTestApi, TEST_CTI_KEY } from './support/test-api';

interface Dashboard {
  templating: { list: { name: string; query: string | { query: string } }[] };
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
}
const dashboard = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/operations/grafana-dashboard.json'), 'utf8')) as Dashboard;

/** Labels Prometheus adds to every scraped series (the target's), not the server. */
const TARGET_LABELS = new Set(['instance', 'job']);
/** Series from other exporters that the dashboard shows beside the server's (the blackbox exporter's probe). */
const OTHER_EXPORTERS = new Set(['probe_success']);

/** Every PromQL query on the dashboard: the panels' targets and the query variables. */
function queries(): { where: string; expr: string }[] {
  const panels = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })));
  const variables = dashboard.templating.list
    .filter((variable) => variable.query !== 'prometheus') // the data source picker
    .map((variable) => ({ where: `variable $${variable.name}`, expr: typeof variable.query === 'string' ? variable.query : variable.query.query }));
  return [...panels, ...variables];
}

/** The series names of a query: the server's (clm_…) and any other name followed by a label selector. */
const seriesIn = (expr: string) => [...new Set([...expr.matchAll(/\b(clm_[a-z0-9_]+)\b|\b([a-z_][a-z0-9_]*)\{/g)].map((match) => (match[1] ?? match[2])!))];
/** Labels the query groups by (by (…)), selects on ({label=…}) or asks the values of (label_values(series, label)). */
const labelsIn = (expr: string) => [
  ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((match) => match[1]!.split(',').map((label) => label.trim())),
  ...[...expr.matchAll(/[{,]\s*([a-z_][a-z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((match) => match[1]!),
  ...[...expr.matchAll(/label_values\([^,]+,\s*([a-z_][a-z0-9_]*)\)/g)].map((match) => match[1]!),
];

/** The exposition text as series name -> the label names its samples carry. */
function exposedSeries(text: string): Map<string, Set<string>> {
  const series = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? /.exec(line);
    if (!match) continue;
    const labels = series.get(match[1]!) ?? new Set<string>();
    for (const pair of match[2]?.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g) ?? []) labels.add(pair[1]!);
    series.set(match[1]!, labels);
  }
  return series;
}

describe('docs/operations/grafana-dashboard.json', () => {
  let api: CentralApi;
  let exposed: Map<string, Set<string>>;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 10 });
    // One of everything the metrics count, so every series has its samples and labels.
    const token = await login(api.app, 'agent01');
    await api.app.inject({
      method: 'POST',
      url: '/outcomes/batch',
      headers: bearer(token),
      payload: { deviceId: 'dashboard', items: [outcomeItem('dashboard', 1)] },
    });
    await api.app.inject({
      method: 'POST',
      url: '/cti/calls',
      headers: { 'x-cti-key': TEST_CTI_KEY },
      payload: { callId: 'dashboard-1', ani: '13800000002', agentId: 'agent01', event: 'offered' },
    });
    const health = { intervalSeconds: 60, outboxPending: 1, outboxDead: 0, syncLagSeconds: 5, screenPopP95Seconds: 0.02, screenPops: 4 };
    expect((await api.app.inject({ method: 'POST', url: '/desks/health', headers: bearer(token), payload: health })).statusCode).toBe(204);
    exposed = exposedSeries((await api.app.inject({ method: 'GET', url: '/metrics' })).body);
  });
  afterAll(() => api?.close());

  it('queries only series the server exposes (or the named other exporters)', () => {
    expect(exposed.size).toBeGreaterThan(20);
    const unknown = queries().flatMap(({ where, expr }) =>
      seriesIn(expr)
        .filter((name) => !exposed.has(name) && !OTHER_EXPORTERS.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('groups and filters only by labels those series carry', () => {
    const unknown = queries().flatMap(({ where, expr }) => {
      const series = seriesIn(expr).filter((name) => exposed.has(name));
      if (series.length === 0) return [];
      const carried = new Set([...TARGET_LABELS, ...series.flatMap((name) => [...exposed.get(name)!])]);
      return labelsIn(expr)
        .filter((label) => !carried.has(label))
        .map((label) => `${where}: ${label}`);
    });
    expect(unknown).toEqual([]);
  });

  it('shows every per-team desk metric, added up across the instances and chosen by the $team variable', () => {
    const deskMetrics = [...exposed.keys()].filter((name) => name.startsWith('clm_desk_'));
    expect(deskMetrics.sort()).toEqual([
      'clm_desk_outbox_dead',
      'clm_desk_outbox_pending',
      'clm_desk_reporting',
      'clm_desk_screen_pop_p95_seconds',
      'clm_desk_sync_lag_seconds',
    ]);
    const deskQueries = queries().filter(({ where, expr }) => where.startsWith('panel') && /clm_desk_/.test(expr));
    for (const name of deskMetrics) {
      const panel = deskQueries.find(({ expr }) => seriesIn(expr).includes(name));
      expect(panel, name).toBeDefined();
      // A desk reports to whichever instance the balancer picks: one team's figure is spread over the instances.
      expect(panel!.expr, name).toMatch(/^(sum|max) by \(team\) \(/);
      expect(panel!.expr, name).toContain('{team=~"$team"}');
      expect(panel!.expr, name).not.toContain('$instance');
    }
  });
});
