// Scale: writers of the central database no longer wait for each other. On PostgreSQL, import
// batches, batch scoring writes and desk outcome uploads run at the same time for a fixed period,
// twice in the same run: with the old global locks (simulated: every write transaction first takes
// the change-log lock, an outcome upload the outcome-log lock too, as before migration 0016) and
// with today's code (writers announce themselves, readers stop at the commit-order horizon:
// server/db/commit-order.ts). A desk polls the change feed throughout; afterwards its copy must
// equal the tables, and every outcome acknowledged as accepted must be stored once.
import type { Customer, CustomerScore } from '../shared/contract/entities';
import type { Outcome } from '../shared/contract/outcomes';
import { loadOfferCatalog } from '../server/catalog/load-catalog';
import { publishCatalog } from '../server/catalog/publish-catalog';
import { CHANGE_LOG_LOCK, advisoryXactLockSql } from '../server/db/advisory-locks';
import { runMigrations } from '../server/db/migrate';
import { openPostgresClient } from '../server/db/pg-client';
import type { SqlClient } from '../server/db/sql-client';
import { recordOutcomeBatch } from '../server/outcomes/record-batch';
import { demoScore, generateDemoCustomer } from '../server/seed/demo-customers';
import { lockChangeLog, upsertCustomers, upsertScores } from '../server/sync/change-log';
import { readChangesPage } from '../server/sync/changes-page';
import { createScratchDatabase } from '../tests/support/scratch-postgres';
import { SYNCED_TABLES } from '../server/sync/synced-tables';
import { declinedDraft } from './support/declined-draft';
import { outcomeItem } from '../tests/support/outcome-item';
import { measurement, notAvailable, okResult, type BenchResult, type Measurement } from './support/result';
import { choosePostgresOrPglite } from './support/server-database';
import { elapsedMs, summarize } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'change-log-contention';
const TITLE = 'Scale: imports, scoring and outcome uploads no longer wait on each other';
const BOOK = 5_000;
const SECONDS = Number(process.env.BENCH_CONTENTION_SECONDS ?? 8);
const IMPORT_WORKERS = 2;
const IMPORT_BATCH = 500;
const SCORING_WORKERS = 1;
const SCORING_BATCH = 500;
const OUTCOME_WORKERS = 8;
const OUTCOMES_PER_BATCH = 10;
/** The outcome-log lock key before migration 0016 (server/db/advisory-locks.ts then). */
const OLD_OUTCOME_LOG_LOCK = 7_310_003;
const DESK_POLL_MS = 50;

type Mode = 'global locks (before)' | 'no global lock (now)';

/** The database as a writer saw it before: each transaction first takes `keys`, held until commit. */
function withOldLocks(db: SqlClient, keys: readonly number[]): SqlClient {
  return {
    ...db,
    transaction: (fn) =>
      db.transaction(async (tx) => {
        for (const key of keys) await tx.query(advisoryXactLockSql(key));
        return fn(tx);
      }),
  };
}

interface Workload {
  imports: number;
  scoring: number;
  outcomeLatenciesMs: number[];
  accepted: Set<string>;
  /** pg_stat_activity samples of this database's busy sessions, and of those waiting for a lock. */
  busySamples: number;
  lockWaitSamples: number;
}

const LOCK_SAMPLE_MS = 25;

async function untilDeadline(deadline: number, step: () => Promise<void>): Promise<void> {
  while (performance.now() < deadline) await step();
}

async function runMode(db: SqlClient, mode: Mode, round: number, withBackground: boolean): Promise<Workload> {
  const old = mode === 'global locks (before)';
  const writerDb = (keys: number[]) => (old ? withOldLocks(db, keys) : db);
  const work: Workload = { imports: 0, scoring: 0, outcomeLatenciesMs: [], accepted: new Set(), busySamples: 0, lockWaitSamples: 0 };
  const deadline = performance.now() + SECONDS * 1000;
  let counter = 0;

  const importer = async (worker: number) => {
    let batch = 0;
    const importDb = writerDb([CHANGE_LOG_LOCK]);
    await untilDeadline(deadline, async () => {
      const first = ((worker * 7 + batch++) * IMPORT_BATCH) % BOOK;
      const customers: Customer[] = Array.from({ length: IMPORT_BATCH }, (_, i) => {
        const customer = generateDemoCustomer((first + i) % BOOK);
        return { ...customer, monthlyFee: customer.monthlyFee + round + batch / 1000 };
      });
      await importDb.transaction(async (tx) => {
        await lockChangeLog(tx);
        await upsertCustomers(tx, customers);
      });
      work.imports += 1;
    });
  };
  const scorer = async (worker: number) => {
    let batch = 0;
    const scoringDb = writerDb([CHANGE_LOG_LOCK]);
    await untilDeadline(deadline, async () => {
      const first = ((worker * 3 + batch++) * SCORING_BATCH) % BOOK;
      const scores: CustomerScore[] = Array.from({ length: SCORING_BATCH }, (_, i) => {
        const score = demoScore(generateDemoCustomer((first + i) % BOOK));
        return { ...score, churnProbability: Math.min(1, score.churnProbability * 0.99 + round / 1000) };
      });
      await scoringDb.transaction((tx) => upsertScores(tx, scores));
      work.scoring += 1;
    });
  };
  const desk = async (worker: number) => {
    const deviceId = `contention-${round}-${worker}`;
    const agentId = `agent0${(worker % 5) + 1}`;
    const outcomeDb = writerDb([OLD_OUTCOME_LOG_LOCK, CHANGE_LOG_LOCK]);
    let clientSeq = 0;
    await untilDeadline(deadline, async () => {
      const items = Array.from({ length: OUTCOMES_PER_BATCH }, (): Outcome => {
        const n = ++counter;
        return outcomeItem(deviceId, ++clientSeq, declinedDraft(n, n % BOOK, null, `contention-call-${n}`), agentId);
      });
      const started = performance.now();
      const answer = await recordOutcomeBatch(outcomeDb, { deviceId, items }, agentId);
      work.outcomeLatenciesMs.push(elapsedMs(started));
      for (const result of answer.results) if (result.status === 'accepted') work.accepted.add(result.outcomeId);
    });
  };
  // Where the writers' sessions wait: a lock (heavyweight: advisory or row) or something else (CPU, I/O, the client).
  const sampleLockWaits = async () => {
    await untilDeadline(deadline, async () => {
      const [sample] = await db.query<{ busy: number; waiting: number }>(
        `SELECT count(*)::int AS busy, (count(*) FILTER (WHERE wait_event_type = 'Lock'))::int AS waiting FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')`,
      );
      work.busySamples += sample?.busy ?? 0;
      work.lockWaitSamples += sample?.waiting ?? 0;
      await new Promise((resolve) => setTimeout(resolve, LOCK_SAMPLE_MS));
    });
  };
  await Promise.all([
    sampleLockWaits(),
    ...(withBackground ? Array.from({ length: IMPORT_WORKERS }, (_, w) => importer(w)) : []),
    ...(withBackground ? Array.from({ length: SCORING_WORKERS }, (_, w) => scorer(w)) : []),
    ...Array.from({ length: OUTCOME_WORKERS }, (_, w) => desk(w)),
  ]);
  return work;
}

/** A desk's copy of the feed: entity:id -> version, kept current by polling until `stop` resolves, then drained. */
async function followFeed(db: SqlClient, stop: Promise<void>): Promise<{ copy: Map<string, number>; pages: number }> {
  const copy = new Map<string, number>();
  let cursor = 0;
  let pages = 0;
  let stopped = false;
  void stop.then(() => (stopped = true));
  const pull = async () => {
    for (;;) {
      const page = await readChangesPage(db, cursor, 2000);
      pages += 1;
      for (const change of page.changes) copy.set(`${change.entity}:${change.id}`, change.version);
      cursor = page.nextCursor;
      if (!page.hasMore) return;
    }
  };
  while (!stopped) {
    await pull();
    await new Promise((resolve) => setTimeout(resolve, DESK_POLL_MS));
  }
  await pull();
  return { copy, pages };
}

async function replicaMismatches(db: SqlClient, copy: Map<string, number>): Promise<number> {
  const rows = await db.query<{ key: string; version: number }>(
    Object.values(SYNCED_TABLES)
      .map((t) => `SELECT '${t.entity}:' || ${t.keyColumn} AS key, version FROM ${t.table}`)
      .join(' UNION ALL '),
  );
  return rows.filter((r) => copy.get(r.key) !== r.version).length;
}

export async function runChangeLogContentionBench(): Promise<BenchResult> {
  const started = performance.now();
  const choice = await choosePostgresOrPglite();
  if (choice.driver !== 'postgres')
    return notAvailable(ID, TITLE, `needs PostgreSQL (PGlite is one connection, nothing runs concurrently): ${choice.whyNotPostgres}`);
  const scratch = await createScratchDatabase(choice.adminUrl);
  const db = await openPostgresClient(scratch.url, { poolSize: IMPORT_WORKERS + SCORING_WORKERS + OUTCOME_WORKERS + 3, statementTimeoutMs: 0 });
  try {
    progress(ID, `migrating and loading ${BOOK.toLocaleString('en-US')} customers with scores`);
    await runMigrations(db);
    await publishCatalog(db, loadOfferCatalog().offers);
    for (let first = 0; first < BOOK; first += 1000) {
      const customers = Array.from({ length: Math.min(1000, BOOK - first) }, (_, i) => generateDemoCustomer(first + i));
      await db.transaction(async (tx) => {
        await upsertCustomers(tx, customers);
        await upsertScores(tx, customers.map(demoScore));
      });
    }

    const measurements: Measurement[] = [];
    const notes: string[] = [];
    const runs = new Map<string, Workload>();
    let round = 0;
    let stopFeed!: () => void;
    const feed = followFeed(db, new Promise<void>((resolve) => (stopFeed = resolve)));
    for (const [mode, background] of [
      ['global locks (before)', true],
      ['no global lock (now)', true],
      ['no global lock (now)', false],
    ] as const) {
      progress(ID, `${mode}${background ? ', with imports and scoring' : ', outcome uploads alone'}: ${SECONDS} s`);
      runs.set(`${mode}|${background}`, await runMode(db, mode, ++round, background));
    }
    stopFeed();
    const { copy, pages } = await feed;

    const before = runs.get('global locks (before)|true')!;
    const now = runs.get('no global lock (now)|true')!;
    const alone = runs.get('no global lock (now)|false')!;
    const perSecond = (n: number) => n / SECONDS;
    const baseline = (label: string, value: number, unit: string) => ({ label: `${label}, global locks (before)`, value, unit });
    const outcomeRate = (w: Workload) => perSecond(w.outcomeLatenciesMs.length);
    measurements.push(
      measurement({
        metric: `outcome batches (${OUTCOMES_PER_BATCH} outcomes) per second, ${OUTCOME_WORKERS} desks, with imports and scoring running`,
        value: outcomeRate(now),
        unit: 'batch/s',
        baseline: baseline('same load', outcomeRate(before), 'batch/s'),
      }),
      measurement({
        metric: 'outcome batch p99, with imports and scoring running',
        value: summarize(now.outcomeLatenciesMs).p99,
        unit: 'ms',
        baseline: baseline('same load', summarize(before.outcomeLatenciesMs).p99, 'ms'),
        goal: { on: 'value', atMost: 50 },
      }),
      measurement({
        metric: `import batches (${IMPORT_BATCH} customers) per second, ${IMPORT_WORKERS} importers, alongside`,
        value: perSecond(now.imports),
        unit: 'batch/s',
        baseline: baseline('same load', perSecond(before.imports), 'batch/s'),
      }),
      measurement({
        metric: `scoring batches (${SCORING_BATCH} scores) per second, alongside`,
        value: perSecond(now.scoring),
        unit: 'batch/s',
        baseline: baseline('same load', perSecond(before.scoring), 'batch/s'),
      }),
      measurement({
        metric: 'writer sessions waiting for a lock (share of busy-session samples), with imports and scoring running',
        value: (100 * now.lockWaitSamples) / Math.max(1, now.busySamples),
        unit: '%',
        baseline: baseline('same load', (100 * before.lockWaitSamples) / Math.max(1, before.busySamples), '%'),
      }),
      measurement({ metric: 'outcome batches per second, outcome uploads alone (now)', value: outcomeRate(alone), unit: 'batch/s' }),
      measurement({
        metric: 'outcome batch p99, outcome uploads alone (now)',
        value: summarize(alone.outcomeLatenciesMs).p99,
        unit: 'ms',
        goal: { on: 'value', atMost: 50 },
      }),
    );

    const acknowledged = [...runs.values()].flatMap((w) => [...w.accepted]);
    const [stored] = await db.query<{ n: number; distinct_ids: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT outcome_id)::int AS distinct_ids FROM outcomes WHERE outcome_id = ANY($1::uuid[])`,
      [acknowledged],
    );
    const mismatches = await replicaMismatches(db, copy);
    measurements.push(
      measurement({
        metric: 'synced rows the polling desk holds at another version than the table',
        value: mismatches,
        unit: 'rows',
        goal: { on: 'value', atMost: 0 },
      }),
      measurement({
        metric: 'outcomes acknowledged as accepted but not stored exactly once',
        value: acknowledged.length - (stored?.n === stored?.distinct_ids ? (stored?.n ?? 0) : 0),
        unit: 'outcomes',
        goal: { on: 'value', atMost: 0 },
      }),
    );
    notes.push(
      `PostgreSQL, in-process SqlClient with a pool of ${IMPORT_WORKERS + SCORING_WORKERS + OUTCOME_WORKERS + 2}; book of ${BOOK.toLocaleString('en-US')} customers; ${SECONDS} s per phase: ${IMPORT_WORKERS} importers (whole-log lock, as clm import takes it, + upsert of ${IMPORT_BATCH} customers), ${SCORING_WORKERS} scorer (upsert of ${SCORING_BATCH} scores), ${OUTCOME_WORKERS} desks uploading batches of ${OUTCOMES_PER_BATCH} declined outcomes (offer stats, contact histories) in a loop, one desk polling the change feed every ${DESK_POLL_MS} ms (${pages.toLocaleString('en-US')} pages read).`,
      '"before" is simulated in the same run: each write transaction first takes the global change-log lock (7310002), an outcome upload the old outcome-log lock (7310003) too, held until commit, as the code did before migration 0016; the SQL is otherwise today\'s.',
      `${acknowledged.length.toLocaleString('en-US')} outcomes acknowledged as accepted over the three phases; the polling desk's copy is compared with every customer, score, offer-stats and contact-history row at the end.`,
    );
    return okResult(ID, TITLE, started, { measurements, notes });
  } finally {
    await db.close();
    await scratch.drop();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, runChangeLogContentionBench);
