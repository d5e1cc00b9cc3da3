// Benchmark 5: the central API under load on loopback (autocannon in this process, the API in
// its own): sync pull, outcome push and CTI events, on PGlite and on PostgreSQL, each against a
// trivial route (GET /health) of the same server in the same run. Afterwards every outcome the
// API acknowledged as accepted must be in the outcomes table.
import os from 'node:os';
import type { OutcomeBatchResponse } from '../shared/contract/central-api';
import type { Outcome } from '../shared/contract/outcomes';
import type { SqlDriverName } from '../server/db/sql-client';
import { runLoad, type LoadRequest, type LoadResult } from './support/autocannon';
import { benchRows, phoneOf } from './support/book';
import { declinedDraft } from './support/declined-draft';
import { outcomeItem } from '../tests/support/outcome-item';
import { BENCH_AGENT, BENCH_CTI_KEY, loginToken, startCentralApiProcess, type CentralApiProcess } from './support/central-api-process';
import { startCpuMeter, type CpuPerUnit } from './support/process-cpu';
import { measurement, okResult, type BenchResult, type Measurement } from './support/result';
import { choosePostgresOrPglite } from './support/server-database';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'api-load';
const TITLE = 'Central API';
const CONNECTIONS = 10;
const SECONDS = 10;
const WARM_UP_SECONDS = 2;
/** Page cost is O(limit) whatever the book size (per-table change_seq index), so a 20k book suffices. */
const BOOK = 20_000;
const PAGE = 1000;
const OUTCOMES_PER_BATCH = 10;

interface Target {
  name: string;
  request(api: CentralApiProcess, token: string): Promise<LoadRequest>;
}

interface DeskAgent {
  username: string;
  token: string;
}

interface Desk {
  deviceId: string;
  agent: DeskAgent;
}

const DESK_AGENT_PASSWORD = 'Bench-Desk-Load-2026';

/**
 * One agent per connection, as on a contact-centre floor where each agent works at one desk: the
 * outcome route counts each agent's day per offer in one row (outcome_daily_totals), which one
 * agent's uploads from ten desks at once would queue on, a load no real floor puts on it.
 */
async function deskAgents(apiUrl: string): Promise<DeskAgent[]> {
  const admin = await loginToken(apiUrl, 'admin01', 'demo1234');
  return Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      const username = `bench-agent-${i + 1}`;
      const response = await fetch(`${apiUrl}/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username, role: 'agent', displayName: username, password: DESK_AGENT_PASSWORD }),
      });
      if (response.status !== 201) throw new Error(`creating ${username}: HTTP ${response.status} ${await response.text()}`);
      return { username, token: await loginToken(apiUrl, username, DESK_AGENT_PASSWORD) };
    }),
  );
}

/** The routes under load, with the per-run state they need (outcome numbering, acknowledged ids). */
function createTargets() {
  /** Outcome ids the API acknowledged as accepted, collected from its responses. */
  const accepted = new Set<string>();
  let counter = 0;
  // A desk sends its next batch only after the answer to its last, so a batch takes a desk with no
  // upload in flight (or a new one) and gives it back with the answer: each connection acts as one desk.
  const idleDesks: Desk[] = [];
  const deskOfBatch = new Map<string, Desk>();
  let desks = 0;

  function outcomeBatch(agents: readonly DeskAgent[]): { desk: Desk; body: { deviceId: string; items: Outcome[] } } {
    const desk = idleDesks.pop() ?? { deviceId: `bench-desk-${++desks}`, agent: agents[desks % agents.length]! };
    // clientSeq only has to grow per device, which a shared counter does.
    const items = Array.from({ length: OUTCOMES_PER_BATCH }, (): Outcome => {
      const n = ++counter;
      const customer = n % BOOK;
      return outcomeItem(desk.deviceId, n, declinedDraft(n, customer, phoneOf(customer), `bench-call-${n}`), desk.agent.username);
    });
    deskOfBatch.set(items[0]!.outcomeId, desk);
    return { desk, body: { deviceId: desk.deviceId, items } };
  }

  function deskAnswered(results: OutcomeBatchResponse['results']) {
    const first = results[0]?.outcomeId ?? '';
    const desk = deskOfBatch.get(first);
    if (desk === undefined) return;
    deskOfBatch.delete(first);
    idleDesks.push(desk);
  }

  const targets: Target[] = [
    { name: 'GET /health (trivial route)', request: async () => ({ method: 'GET', path: '/health' }) },
    {
      name: `GET /sync/changes (${PAGE.toLocaleString('en-US')} changes/page)`,
      async request(api, token) {
        const maxSeq = await api.call('maxSeq', undefined);
        return {
          method: 'GET',
          headers: { authorization: `Bearer ${token}` },
          // A random page of the log each time, as desks at different cursors ask.
          setupRequest: (request) => ({ ...request, path: `/sync/changes?after=${Math.floor(Math.random() * Math.max(1, maxSeq - PAGE))}&limit=${PAGE}` }),
        };
      },
    },
    {
      name: `POST /outcomes/batch (${OUTCOMES_PER_BATCH} outcomes)`,
      async request(api) {
        const agents = await deskAgents(api.url);
        return {
          method: 'POST',
          path: '/outcomes/batch',
          setupRequest(request) {
            const { desk, body } = outcomeBatch(agents);
            const headers = { authorization: `Bearer ${desk.agent.token}`, 'content-type': 'application/json' };
            return { ...request, headers, body: JSON.stringify(body) };
          },
          onResponse(status, body) {
            if (status !== 200) return;
            const { results } = JSON.parse(body) as OutcomeBatchResponse;
            for (const result of results) if (result.status === 'accepted') accepted.add(result.outcomeId);
            deskAnswered(results);
          },
        };
      },
    },
    {
      name: 'POST /cti/calls',
      request: async () => ({
        method: 'POST',
        path: '/cti/calls',
        headers: { 'x-cti-key': BENCH_CTI_KEY, 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ callId: `bench-cti-${++counter}`, ani: phoneOf(counter % BOOK), agentId: BENCH_AGENT.username, event: 'offered' }),
        }),
      }),
    },
  ];
  // CLM_BENCH_API_ROUTES=outcomes measures only the routes whose names contain one of the words, always with the floor.
  const wanted = (process.env.CLM_BENCH_API_ROUTES ?? '').split(',').filter((w) => w !== '');
  const chosen = targets.filter((t, i) => i === 0 || wanted.length === 0 || wanted.some((w) => t.name.includes(w)));
  return { targets: chosen, accepted };
}

const TARGET_NAMES = createTargets().targets.map((t) => t.name);

const failures = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

/**
 * CPU time a route costs per request, counted in the API's process and in its PostgreSQL sessions
 * (PGlite runs inside the API's process): unlike req/s, it hardly moves with the load other work
 * puts on shared cores.
 */
function startRequestCpuMeter(api: CentralApiProcess, driver: SqlDriverName) {
  return startCpuMeter({
    apiPid: api.process.pid,
    sessionPids: driver === 'postgres' ? () => api.call('databaseSessionPids', undefined) : undefined,
  });
}

async function loadDriver(driver: SqlDriverName, choice: Awaited<ReturnType<typeof choosePostgresOrPglite>>) {
  const book = Math.min(BOOK, benchRows());
  const api = await startCentralApiProcess({ driver, choice, customers: book, analyze: true });
  try {
    const token = await loginToken(api.url);
    const { targets, accepted } = createTargets();
    const results = new Map<string, LoadResult>();
    // The machine's 1-minute load average as each route's measurement starts: on shared cores it moves the figures more than most changes do.
    const loadAtStart = new Map<string, number>();
    const cpuPerRequest = new Map<string, CpuPerUnit | null>();
    for (const target of targets) {
      const request = await target.request(api, token);
      progress(ID, `${driver}: ${target.name}`);
      await runLoad({ url: api.url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, requests: [request] });
      loadAtStart.set(target.name, os.loadavg()[0] ?? 0);
      const cpu = await startRequestCpuMeter(api, driver);
      const result = await runLoad({ url: api.url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
      results.set(target.name, result);
      cpuPerRequest.set(target.name, await cpu.finish(result['2xx'] + result.non2xx));
    }
    const ids = [...accepted];
    const stored = await api.call('countOutcomesAmong', { ids });
    const rows = await api.call('countOutcomes', undefined);
    return { api, book, results, loadAtStart, cpuPerRequest, acknowledged: ids.length, stored, rows };
  } finally {
    await api.stop();
  }
}

function driverMeasurements(driver: SqlDriverName, run: Awaited<ReturnType<typeof loadDriver>>): Measurement[] {
  const [health, ...others] = TARGET_NAMES.map((name) => ({ name, result: run.results.get(name)! }));
  if (health === undefined) return [];
  const allFailures = [health, ...others].reduce((sum, t) => sum + failures(t.result), 0);
  return [
    ...others.flatMap(({ name, result }) => [
      measurement({
        metric: `${name} [${driver}]`,
        value: result.requests.average,
        unit: 'req/s',
        baseline: { label: `${health.name}, same server`, value: health.result.requests.average, unit: 'req/s' },
      }),
      measurement({
        metric: `${name} p99 [${driver}]`,
        value: result.latency.p99,
        unit: 'ms',
        baseline: { label: `${health.name} p99`, value: health.result.latency.p99, unit: 'ms' },
      }),
    ]),
    measurement({
      metric: `failed requests (non-2xx, errors, timeouts), all routes [${driver}]`,
      value: allFailures,
      unit: '',
      goal: { on: 'value', atMost: 0 },
    }),
    measurement({
      metric: `outcomes acknowledged as accepted but not stored [${driver}]`,
      value: run.acknowledged - run.stored,
      unit: '',
      goal: { on: 'value', atMost: 0 },
    }),
  ];
}

function driverNotes(driver: SqlDriverName, run: Awaited<ReturnType<typeof loadDriver>>): string[] {
  const perRoute = TARGET_NAMES.map((name) => {
    const r = run.results.get(name)!;
    const load = run.loadAtStart.get(name) ?? 0;
    const cpu = run.cpuPerRequest.get(name);
    const ms = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : `${value.toFixed(2)} ms`);
    const cpuNote = `CPU per request: API ${ms(cpu?.api)}${driver === 'postgres' ? `, PostgreSQL sessions ${ms(cpu?.database)}` : ''}`;
    return `${name}: ${Math.round(r.requests.average).toLocaleString('en-US')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r['2xx'].toLocaleString('en-US')} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts, ${cpuNote} (load average ${load.toFixed(1)} at its start)`;
  });
  return [
    `${driver} (${run.book.toLocaleString('en-US')}-customer book): ${perRoute.join('; ')}.`,
    `${driver} outcomes: ${run.acknowledged.toLocaleString('en-US')} acknowledged as accepted, ${run.stored.toLocaleString('en-US')} of them found in the outcomes table; the table holds ${run.rows.toLocaleString('en-US')} rows (${(run.rows - run.stored).toLocaleString('en-US')} stored but unacknowledged: in flight when autocannon stopped, a desk would resend them and get 'duplicate').`,
  ];
}

export async function runApiLoadBench(): Promise<BenchResult> {
  const started = performance.now();
  const choice = await choosePostgresOrPglite();
  const available: SqlDriverName[] = choice.driver === 'postgres' ? ['pglite', 'postgres'] : ['pglite'];
  // CLM_BENCH_API_DRIVERS=postgres skips PGlite (a quicker run when only the PostgreSQL figures are wanted).
  const only = process.env.CLM_BENCH_API_DRIVERS?.split(',');
  const drivers = available.filter((d) => only === undefined || only.includes(d));
  const measurements: Measurement[] = [];
  const notes = [
    `autocannon ${CONNECTIONS} connections, ${SECONDS} s per route after a ${WARM_UP_SECONDS} s warm-up, in the benchmark process; each central API in its own process; 2 cores shared by both.`,
  ];
  if (choice.driver !== 'postgres') notes.push(`PostgreSQL skipped: ${choice.whyNotPostgres}.`);
  for (const driver of drivers) {
    const run = await loadDriver(driver, choice);
    measurements.push(...driverMeasurements(driver, run));
    notes.push(...driverNotes(driver, run));
  }
  return okResult(ID, TITLE, started, { measurements, notes });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runApiLoadBench());
