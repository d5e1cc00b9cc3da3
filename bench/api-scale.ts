// Scale-out of the central API (issue 17 §4): requests per second of one and of two instances behind
// the shipped HAProxy configuration, in the same run, and empty polls (GET /sync/changes at the head:
// what an idle desk used to send every 10 s) per second on one instance, against GET /health on the
// same instance. Each instance is its own process on one PostgreSQL database; autocannon runs here.
// When one instance is short of the goal, a CPU profile of it under the empty-poll load says where
// the time goes. Also a desk catching up (GET /sync/changes, 1,000 changes a page at random
// cursors) against its floor: a bare SELECT of the same rows, same connections, same run
// (issue 18), with the CPU each page cost in the API, in PostgreSQL and here: on a machine busy with
// other work the rates swing with everyone else's load, the CPU per page much less. Nothing here asserts a time.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createCentralApi } from '../server/app';
import { DEFAULT_DB_POOL_SIZE } from '../server/config';
import { CHANGES_PAGE_SQL } from '../server/sync/changes-page';
import { startApiInstance, type ApiInstance } from '../tests/deploy/support/api-instance';
import { haproxyInstalled, startBalancer, type Balancer } from '../tests/deploy/support/haproxy';
import { runLoad, type LoadRequest, type LoadResult } from './support/autocannon';
import { BENCH_CTI_KEY, loginToken } from './support/central-api-process';
import { hasProcStat, OTHER_DATABASE_SESSION_PIDS_SQL, startCpuMeter, type CpuPerUnit } from './support/process-cpu';
import { measurement, notAvailable, okResult, type BenchResult, type Measurement } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { analyzeDatabase, choosePostgresOrPglite, createScratchServerDatabase } from './support/server-database';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'api-scale';
const TITLE = 'Scale-out: API instances behind HAProxy';
const CONNECTIONS = 20;
const SECONDS = 10;
const WARM_UP_SECONDS = 2;
/** An empty poll costs the same whatever the book size: it reads past the head. */
const BOOK = 2000;
const EMPTY_POLL_GOAL = 3000;
/** A page of a desk catching up, read by as many desks at once as api-load.ts reads it. */
const PAGE = 1000;
const PAGE_CONNECTIONS = 10;
const PAGE_GOAL_RATIO = 0.5;
const TOKEN_SECRET = 'bench-token-secret-not-for-production';
const PROFILE_ENTRIES = 12;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function (and its file below node_modules or the repository), largest first, in % of the samples. */
function topSelfTime(profile: CpuProfile): string[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const frame = byNode.get(id)!.callFrame;
    const file = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|shared)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${file ? `(${file.split('/').slice(-3).join('/')})` : ''}`.trim();
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
    totalMs += ms;
  });
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, PROFILE_ENTRIES)
    .map(([key, ms]) => `${((100 * ms) / totalMs).toFixed(1)} % ${key}`);
}

async function load(url: string, request: LoadRequest, connections = CONNECTIONS): Promise<LoadResult> {
  await runLoad({ url, connections, duration: WARM_UP_SECONDS, requests: [request] });
  return runLoad({ url, connections, duration: SECONDS, requests: [request] });
}

/**
 * Runs a phase of sync pages (`pagesOf` its result: how many it read) and the CPU it cost per page:
 * in the API instance (`apiPid`), in the database's sessions and in this process (autocannon, or the
 * bare SELECT's client). No CPU without /proc.
 */
async function withCpuPerPage<T>(
  databaseUrl: string,
  apiPid: number | undefined,
  phase: () => Promise<T>,
  pagesOf: (result: T) => number,
): Promise<{ result: T; cpu: CpuPerUnit | null }> {
  if (!hasProcStat) return { result: await phase(), cpu: null };
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const sessionPids = async () => (await admin.query<{ pid: number }>(OTHER_DATABASE_SESSION_PIDS_SQL)).rows.map((row) => row.pid);
    const meter = await startCpuMeter({ apiPid, sessionPids });
    const result = await phase();
    return { result, cpu: await meter.finish(pagesOf(result)) };
  } finally {
    await admin.end();
  }
}

const cpuNote = (name: string, cpu: CpuPerUnit | null) =>
  cpu === null
    ? `${name}: no CPU times (no /proc, or no page read)`
    : `${name}: ${cpu.api === null ? '' : `API ${cpu.api.toFixed(1)} ms, `}PostgreSQL ${cpu.database?.toFixed(1) ?? 'n/a'} ms, benchmark process ${cpu.bench.toFixed(1)} ms`;

/**
 * The sync page's floor: the rows of a page read by a bare SELECT (the page's own row query, no
 * horizon, scope, JSON or HTTP), `PAGE_CONNECTIONS` at a time from this process, pages per second.
 */
async function bareSelectPages(databaseUrl: string, randomCursor: () => number): Promise<{ perSecond: number; cpu: CpuPerUnit | null }> {
  // Kept open between the warm-up and the run, so the run's CPU is read from the same backends.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: PAGE_CONNECTIONS, idleTimeoutMillis: 0 });
  const sql = `SELECT entity, id, version, change_seq, deleted, data::text AS data_text FROM (${CHANGES_PAGE_SQL}) AS page`;
  const run = async (seconds: number) => {
    const end = performance.now() + seconds * 1000;
    let pages = 0;
    await Promise.all(
      Array.from({ length: PAGE_CONNECTIONS }, async () => {
        for (; performance.now() < end; pages += 1) await pool.query(sql, [randomCursor(), PAGE, Number.MAX_SAFE_INTEGER]);
      }),
    );
    return pages;
  };
  try {
    await run(WARM_UP_SECONDS);
    const { result: pages, cpu } = await withCpuPerPage(
      databaseUrl,
      undefined,
      () => run(SECONDS),
      (read) => read,
    );
    return { perSecond: pages / SECONDS, cpu };
  } finally {
    await pool.end();
  }
}

const summary = (name: string, r: LoadResult) =>
  `${name}: ${Math.round(r.requests.average).toLocaleString('en-US')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx + r.errors + r.timeouts} failed`;

export async function runApiScaleBench(): Promise<BenchResult> {
  const started = performance.now();
  if (!haproxyInstalled) return notAvailable(ID, TITLE, 'haproxy not installed (apt-get install haproxy)');
  const choice = await choosePostgresOrPglite();
  if (choice.driver !== 'postgres') return notAvailable(ID, TITLE, `two instances need one PostgreSQL: ${choice.whyNotPostgres}`);

  const database = await createScratchServerDatabase('postgres', choice);
  const { databaseUrl } = database.location as { databaseUrl: string };
  const profileDir = createScratchDir('api-scale-profile');
  const instances: ApiInstance[] = [];
  const balancers: Balancer[] = [];
  try {
    progress(ID, `seeding a ${BOOK.toLocaleString('en-US')}-customer book`);
    await (await createCentralApi({ databaseUrl, demo: true, seedCustomers: BOOK, tokenSecret: TOKEN_SECRET })).close();
    await analyzeDatabase(databaseUrl);
    for (const instanceId of ['api1', 'api2'])
      instances.push(
        await startApiInstance({
          databaseUrl,
          instanceId,
          tokenSecret: TOKEN_SECRET,
          ctiKey: BENCH_CTI_KEY,
          // api1 is profiled: its profile is written when it stops.
          nodeArgs: instanceId === 'api1' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir.path}`] : [],
        }),
      );
    const [api1, api2] = instances as [ApiInstance, ApiInstance];
    const token = await loginToken(api1.url);
    const auth = { authorization: `Bearer ${token}` };
    // The desk's scope and the head of the feed, as an idle desk holds them.
    const first = (await (await fetch(`${api1.url}/sync/changes?after=0&limit=1`, { headers: auth })).json()) as { scope?: string };
    const head = Number(/^clm_change_log_head_seq (\d+)$/m.exec(await (await fetch(`${api1.url}/metrics`)).text())?.[1] ?? 0);
    const emptyPoll: LoadRequest = {
      method: 'GET',
      path: `/sync/changes?after=${head}&limit=1000${first.scope ? `&scope=${first.scope}` : ''}`,
      headers: auth,
    };
    const probe = await fetch(`${api1.url}${emptyPoll.path}`, { headers: auth });
    const probeBody = (await probe.json()) as { changes?: unknown[] };
    if (!probe.ok || (probeBody.changes?.length ?? 0) > 0) throw new Error(`the empty poll is not empty (HTTP ${probe.status})`);

    progress(ID, 'one instance, directly: GET /health and the empty poll');
    const health = await load(api1.url, { method: 'GET', path: '/health' });
    const direct = await load(api1.url, emptyPoll);
    progress(ID, `api2 directly: ${PAGE.toLocaleString('en-US')}-change pages at random cursors, and a bare SELECT of the same rows`);
    const randomCursor = () => Math.floor(Math.random() * Math.max(1, head - PAGE));
    const syncPage: LoadRequest = {
      method: 'GET',
      headers: auth,
      setupRequest: (request) => ({ ...request, path: `/sync/changes?after=${randomCursor()}&limit=${PAGE}${first.scope ? `&scope=${first.scope}` : ''}` }),
    };
    // On api2: api1's profile stays the empty polls'.
    await runLoad({ url: api2.url, connections: PAGE_CONNECTIONS, duration: WARM_UP_SECONDS, requests: [syncPage] });
    const { result: pages, cpu: pageCpu } = await withCpuPerPage(
      databaseUrl,
      api2.process.child.pid,
      () => runLoad({ url: api2.url, connections: PAGE_CONNECTIONS, duration: SECONDS, requests: [syncPage] }),
      (result) => result['2xx'],
    );
    const bare = await bareSelectPages(databaseUrl, randomCursor);
    progress(ID, 'one instance behind HAProxy');
    balancers.push(await startBalancer([api1.address]));
    const one = await load(balancers[0]!.url, emptyPoll);
    progress(ID, 'two instances behind HAProxy');
    balancers.push(await startBalancer([api1.address, api2.address]));
    const two = await load(balancers[1]!.url, emptyPoll);

    for (const balancer of balancers.splice(0)) await balancer.stop();
    for (const instance of instances.splice(0)) await instance.process.stop();
    const profileFile = readdirSync(profileDir.path).find((name) => name.endsWith('.cpuprofile'));
    const profile = profileFile === undefined ? [] : topSelfTime(JSON.parse(readFileSync(path.join(profileDir.path, profileFile), 'utf8')) as CpuProfile);

    const failed = [health, direct, pages, one, two].reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
    const measurements: Measurement[] = [
      measurement({
        metric: 'empty polls per second, one instance (GET /sync/changes at the head)',
        value: direct.requests.average,
        unit: 'req/s',
        baseline: { label: 'GET /health, same instance', value: health.requests.average, unit: 'req/s' },
        goal: { on: 'value', atLeast: EMPTY_POLL_GOAL },
      }),
      measurement({
        metric: 'empty polls per second, two instances behind HAProxy',
        value: two.requests.average,
        unit: 'req/s',
        baseline: { label: 'one instance behind HAProxy, same run', value: one.requests.average, unit: 'req/s' },
      }),
      measurement({
        metric: `sync pages per second, one instance (GET /sync/changes, ${PAGE.toLocaleString('en-US')} changes a page)`,
        value: pages.requests.average,
        unit: 'req/s',
        baseline: { label: `bare SELECT of the same rows, ${PAGE_CONNECTIONS} connections, same run`, value: bare.perSecond, unit: 'pages/s' },
        goal: { on: 'ratio', atLeast: PAGE_GOAL_RATIO },
      }),
      measurement({ metric: 'failed requests (non-2xx, errors, timeouts), all runs', value: failed, unit: '', goal: { on: 'value', atMost: 0 } }),
    ];
    const notes = [
      `autocannon ${CONNECTIONS} connections, ${SECONDS} s per run after a ${WARM_UP_SECONDS} s warm-up, in the benchmark process; each API instance its own process (pool of ${DEFAULT_DB_POOL_SIZE} connections), HAProxy (deploy/haproxy.cfg) and PostgreSQL on the same machine: every process shares its cores, so a second instance adds no CPU here.`,
      [
        summary('GET /health, api1 directly', health),
        summary('empty poll, api1 directly', direct),
        summary(`sync page, api2 directly (${PAGE_CONNECTIONS} connections)`, pages),
        `bare SELECT of the same rows: ${bare.perSecond.toFixed(1)} pages/s`,
        summary('empty poll, HAProxy → api1', one),
        summary('empty poll, HAProxy → api1 + api2', two),
      ].join('; ') + '.',
      `An idle desk with its stream up polls once per safety interval (5 min) instead of every 10 s: 5,000 idle desks send about ${Math.round(5000 / 300)} polls/s instead of ${5000 / 10}.`,
    ];
    notes.push(`CPU per ${PAGE.toLocaleString('en-US')}-change page: ${cpuNote('sync page', pageCpu)}; ${cpuNote('bare SELECT', bare.cpu)}.`);
    if (profile.length > 0) notes.push(`api1's CPU profile over the whole run, self time: ${profile.join('; ')}.`);
    return okResult(ID, TITLE, started, { measurements, notes });
  } finally {
    for (const balancer of balancers) await balancer.stop().catch(() => undefined);
    for (const instance of instances) await instance.process.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
    profileDir.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runApiScaleBench());
