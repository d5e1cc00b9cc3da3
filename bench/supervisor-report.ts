// Supervisor reports at full size: GET /reports/outcomes (100,000 rows, the cap) and GET
// /reports/retention over a 5,000-customer book with 100,000 outcomes, on embedded PGlite.
// Baseline: the bare `SELECT payload FROM outcomes` of the same period, on the same database.
// The outcomes are written with a few INSERT … SELECT statements (deterministic, not timed).
import { DAY_MS, OPERATOR_UTC_OFFSET, operatorDateDaysBefore } from '../shared/domain/operator-time';
import { OUTCOME_REPORT_MAX_ROWS, OUTCOME_REPORT_PAGE_MAX_ROWS } from '../shared/contract/supervisor-reports';
import { createCentralApi, type CentralApi } from '../server/app';
import { DEMO_PASSWORD } from '../server/seed/demo-users';
import { measurement, okResult, type BenchResult, type Measurement } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs, median } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'supervisor-report';
const TITLE = 'Supervisor reports';
const CUSTOMERS = 5_000;
const OUTCOMES = 100_000;
const PERIOD_DAYS = 90;
const PER_STATEMENT = 25_000;
const RUNS = 3;
const AGENTS = ['agent01', 'agent02', 'agent03', 'agent04', 'agent05'];

const operatorDate = (daysAgo: number) => operatorDateDaysBefore(new Date(), daysAgo);

// Outcome $1 + i, i in [0, $2): spread over the period's days, customers, agents, offers and results
// by fixed arithmetic on i, so every run writes the same book. $3: the period's first instant.
const INSERT_OUTCOMES_SQL = `WITH offer_ids AS (SELECT array_agg(id ORDER BY id) AS ids FROM offers),
  gen AS (
    SELECT n, ('CUS' || lpad((1 + n % ${CUSTOMERS})::text, 7, '0')) AS customer_id,
      (ARRAY['${AGENTS.join("','")}'])[1 + n % ${AGENTS.length}] AS agent_id,
      (ARRAY['accepted','declined','declined','callback','not_presented','accepted','declined'])[1 + (n / 7) % 7] AS result,
      (ARRAY['A','B','C','D','E'])[1 + n % 5] AS stage,
      (ARRAY['platinum','gold','silver','bronze'])[1 + (n / 3) % 4] AS value_tier,
      (ARRAY['red','orange','yellow','none','none'])[1 + (n / 11) % 5] AS warning_level,
      $3::timestamptz + (n::double precision / ${OUTCOMES} * ${PERIOD_DAYS} * interval '1 day') AS recorded_at
    FROM generate_series($1::int, $1::int + $2::int - 1) AS n)
  INSERT INTO outcomes (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
  SELECT id.outcome_id, 'bench-desk', n + 1, agent_id, customer_id, offer_id, result, 'hotline', recorded_at,
    jsonb_build_object('outcomeId', id.outcome_id, 'deviceId', 'bench-desk', 'clientSeq', n + 1, 'agentId', agent_id,
      'recordedAt', to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'draft', jsonb_build_object('callId', 'bench-call-' || n, 'customerId', customer_id,
        'phone', CASE WHEN n % 4 = 0 THEN '138' || lpad((n % 100000000)::text, 8, '0') END,
        'offerId', offer_id, 'result', result, 'note', '', 'channel', 'hotline',
        'callbackAt', CASE WHEN result = 'callback' THEN to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
        'declineReason', CASE WHEN result = 'declined' THEN 'price' END,
        'notPresentedReason', CASE WHEN result = 'not_presented' THEN 'customer_busy' END,
        'context', jsonb_build_object('modelVersion', 'bench-1', 'stage', stage, 'valueTier', value_tier, 'warningLevel', warning_level,
          'churnProbability', (n % 100) / 100.0, 'segment', stage || '-' || value_tier, 'rank', CASE WHEN offer_id IS NULL THEN NULL ELSE 1 END,
          'expectedValue', round(((n % 1000) / 10.0)::numeric, 1), 'pAccept', 0.3, 'explored', false, 'arpu3m', 30 + n % 170)))
  FROM (SELECT *, CASE WHEN result = 'not_presented' THEN NULL ELSE (SELECT ids FROM offer_ids)[1 + n % cardinality((SELECT ids FROM offer_ids))] END AS offer_id FROM gen) g
  CROSS JOIN LATERAL (SELECT (lpad(to_hex(n), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid AS outcome_id) id`;

async function seedOutcomes(api: CentralApi, periodStart: string): Promise<void> {
  for (let first = 0; first < OUTCOMES; first += PER_STATEMENT) {
    await api.db.query(INSERT_OUTCOMES_SQL, [first, Math.min(PER_STATEMENT, OUTCOMES - first), periodStart]);
  }
  await api.db.query('ANALYZE outcomes');
}

/** The report period: operator days `from`..`to` (both included) and the instants that bound them. */
export interface ReportPeriod {
  from: string;
  to: string;
  periodStart: string;
  periodEnd: string;
}

export interface ReportBook {
  api: CentralApi;
  period: ReportPeriod;
  customers: number;
  /** Outcomes written into the period, all by agent01…agent05 (teams T1 and T2). */
  outcomes: number;
  /** Seconds spent writing the outcomes (never inside a timed section). */
  seedSeconds: number;
}

/**
 * A central API on file-backed PGlite in `dataDir` with the 5,000-customer demo book and 100,000
 * outcomes spread over the last PERIOD_DAYS + 1 operator days. `benchId` labels the progress lines.
 */
export async function seedReportBook(dataDir: string, benchId: string): Promise<ReportBook> {
  progress(benchId, `seeding a ${CUSTOMERS.toLocaleString('en-US')}-customer book on PGlite`);
  const api = await createCentralApi({ dataDir, demo: true, seedCustomers: CUSTOMERS, tokenSecret: 'bench-token-secret', ctiKey: 'bench-cti-key' });
  try {
    const from = operatorDate(PERIOD_DAYS);
    const to = operatorDate(0);
    const periodStart = new Date(`${from}T00:00:00${OPERATOR_UTC_OFFSET}`).toISOString();
    const periodEnd = new Date(Date.parse(`${to}T00:00:00${OPERATOR_UTC_OFFSET}`) + DAY_MS).toISOString();
    progress(benchId, `writing ${OUTCOMES.toLocaleString('en-US')} outcomes`);
    const seedStarted = performance.now();
    await seedOutcomes(api, periodStart);
    const period = { from, to, periodStart, periodEnd };
    return { api, period, customers: CUSTOMERS, outcomes: OUTCOMES, seedSeconds: elapsedMs(seedStarted) / 1000 };
  } catch (error) {
    await api.close();
    throw error;
  }
}

async function loginToken(api: CentralApi, username: string): Promise<string> {
  const response = await api.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: DEMO_PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`login ${username}: ${response.statusCode} ${response.body}`);
  return (response.json() as { token: string }).token;
}

/** Median seconds of RUNS calls; the first call's result is checked by `check`. */
async function medianSeconds<T>(run: () => Promise<T>, check: (result: T) => void): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = await run();
    samples.push(elapsedMs(started) / 1000);
    if (i === 0) check(result);
  }
  return median(samples);
}

export async function runSupervisorReportBench(): Promise<BenchResult> {
  const started = performance.now();
  const scratch = createScratchDir('reports');
  let api: CentralApi | undefined;
  try {
    const book = await seedReportBook(scratch.file('server'), ID);
    api = book.api;
    const { from, to, periodStart, periodEnd } = book.period;
    const seedSeconds = book.seedSeconds;

    const token = await loginToken(api, 'admin01');
    const served = api;
    const get = (path: string, query = '') =>
      served.app.inject({ method: 'GET', url: `/reports/${path}?from=${from}&to=${to}${query}`, headers: { authorization: `Bearer ${token}` } });
    let outcomeBodyBytes = 0;
    let outcomePages = 0;
    /** The period's outcome report as a desk reads it: pages of the most rows allowed, following nextCursor up to the cap. */
    const outcomeReportPages = async () => {
      const bodies: string[] = [];
      let rows = 0;
      let after: string | null = null;
      do {
        const limit = Math.min(OUTCOME_REPORT_PAGE_MAX_ROWS, OUTCOME_REPORT_MAX_ROWS - rows);
        const response = await get(`outcomes`, `&limit=${limit}${after === null ? '' : `&after=${encodeURIComponent(after)}`}`);
        if (response.statusCode !== 200) throw new Error(`/reports/outcomes: ${response.statusCode} ${response.body.slice(0, 200)}`);
        bodies.push(response.body);
        // The cursor is read from the body's tail: parsing the whole page here would time this loop, not the route.
        const cursor = /"nextCursor":(null|"[^"]*")/.exec(response.body.slice(response.body.lastIndexOf('"nextCursor":')))?.[1];
        if (cursor === undefined) throw new Error('/reports/outcomes: a page without nextCursor');
        after = JSON.parse(cursor) as string | null;
        rows += limit;
      } while (after !== null && rows < OUTCOME_REPORT_MAX_ROWS);
      return bodies;
    };

    progress(ID, 'baseline: SELECT payload FROM outcomes of the period');
    const baseline = await medianSeconds(
      () => served.db.query('SELECT payload FROM outcomes WHERE recorded_at >= $1::timestamptz AND recorded_at < $2::timestamptz', [periodStart, periodEnd]),
      (rows) => {
        if (rows.length !== OUTCOMES) throw new Error(`baseline read ${rows.length} outcomes, expected ${OUTCOMES}`);
      },
    );
    progress(ID, 'GET /reports/outcomes');
    const outcomes = await medianSeconds(outcomeReportPages, (bodies) => {
      const rows = bodies.reduce((count, body) => count + (JSON.parse(body) as { rows: unknown[] }).rows.length, 0);
      if (rows !== Math.min(OUTCOMES, OUTCOME_REPORT_MAX_ROWS)) throw new Error(`/reports/outcomes served ${rows} rows`);
      outcomeBodyBytes = bodies.reduce((bytes, body) => bytes + Buffer.byteLength(body), 0);
      outcomePages = bodies.length;
    });
    progress(ID, 'GET /reports/retention');
    const retention = await medianSeconds(
      () => get('retention'),
      (response) => {
        if (response.statusCode !== 200) throw new Error(`/reports/retention: ${response.statusCode} ${response.body.slice(0, 200)}`);
        const report = response.json() as { kpis: { contacts: number } };
        if (report.kpis.contacts !== OUTCOMES) throw new Error(`/reports/retention counted ${report.kpis.contacts} contacts`);
      },
    );

    const base = { label: 'SELECT payload FROM outcomes of the same period (PGlite, in process)', value: baseline, unit: 's' };
    const measurements: Measurement[] = [
      measurement({
        metric: `GET /reports/outcomes, ${OUTCOMES.toLocaleString('en-US')} rows (median of ${RUNS})`,
        value: outcomes,
        unit: 's',
        baseline: base,
      }),
      measurement({
        metric: `GET /reports/retention over ${OUTCOMES.toLocaleString('en-US')} outcomes (median of ${RUNS})`,
        value: retention,
        unit: 's',
        baseline: base,
      }),
    ];
    return okResult(ID, TITLE, started, {
      measurements,
      notes: [
        `PGlite (file-backed), ${CUSTOMERS.toLocaleString('en-US')} customers, ${OUTCOMES.toLocaleString('en-US')} outcomes over ${PERIOD_DAYS + 1} days, admin (every team); requests through Fastify inject.`,
        `outcome report: ${outcomePages} pages of at most ${OUTCOME_REPORT_PAGE_MAX_ROWS.toLocaleString('en-US')} rows (limit and after, as a desk reads them), ${(outcomeBodyBytes / 1e6).toFixed(1)} MB of bodies; outcomes written in ${seedSeconds.toFixed(1)} s (${OUTCOMES / PER_STATEMENT} INSERT … SELECT statements, not timed).`,
      ],
    });
  } finally {
    await api?.close();
    scratch.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runSupervisorReportBench);
