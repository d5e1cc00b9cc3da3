// Scale (issue 17 §1): a desk caches its team's scope and asks the central API for the rest.
// On one seeded central API (its own book, CLM_BENCH_SCALE_ROWS customers, default 100,000): the
// first sync of the whole book (a team without a scope) against the first sync of a 20 % region
// scope, and the desk backend's screen pop (card/byPhone, number → card) on a cache hit against a
// miss answered by GET /cards/by-phone over loopback, in the same run.
import { openDeskSession, type DeskSession } from './support/desk-session';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs, summarize } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { startSyncServer, type SyncServer } from './support/sync-server';

const ID = 'scale-scope';
const TITLE = 'Scale: a desk caches its scope, the server answers the rest';
const DEFAULT_SCALE_ROWS = 100_000;
/** The book is spread over this many regions; the scope is one of them (about 20 %). */
const REGIONS = 5;
const HOT_SET_CAP = 500;
const POPS = 200;
const WARM_UP_POPS = 10;
const GOAL_SCOPE_CUSTOMERS = 200_000;

/** CLM_BENCH_SCALE_ROWS (default 100,000): the book of this benchmark's own central API. */
function scaleRows(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CLM_BENCH_SCALE_ROWS;
  if (raw === undefined || raw === '') return DEFAULT_SCALE_ROWS;
  const rows = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`CLM_BENCH_SCALE_ROWS must be a whole number >= 1000, got '${raw}'`);
  return rows;
}

/** From login to caught up, into an empty cache. */
async function timedFirstSync(server: SyncServer, cachePath: string): Promise<{ session: DeskSession; seconds: number; customers: number }> {
  const started = performance.now();
  const session = await openDeskSession({ cachePath, apiUrl: server.api.url });
  const status = await session.syncNow();
  return { session, seconds: elapsedMs(started) / 1000, customers: status.customersCached };
}

/** Milliseconds from asking the desk backend for the card of each number to having it. */
async function timedPops(session: DeskSession, phones: readonly string[], tag: string): Promise<{ samples: number[]; sources: Set<string> }> {
  const samples: number[] = [];
  const sources = new Set<string>();
  for (const [i, phone] of phones.entries()) {
    const started = performance.now();
    const result = await session.backend.invoke('card/byPhone', { phone, callId: `${tag}-${i}`, purpose: 'call' });
    samples.push(elapsedMs(started));
    if (!result.ok) throw new Error(`card/byPhone failed: ${result.error.code} ${result.error.message}`);
    const card = result.value as { kind: string; source?: string };
    sources.add(`${card.kind}/${card.source ?? 'cache'}`);
  }
  return { samples, sources };
}

export async function runScaleScopeBench(): Promise<BenchResult> {
  const started = performance.now();
  const rows = scaleRows();
  const server = await startSyncServer(rows);
  const scratch = createScratchDir('scale');
  const sessions: DeskSession[] = [];
  try {
    progress(ID, `whole-book first sync of ${rows.toLocaleString('en-US')} customers (team without a scope)`);
    const book = await timedFirstSync(server, scratch.file('book.sqlite'));
    await book.session.close();

    const scope = await server.api.call('scopeTeamToOneRegion', { team: 'T1', regions: REGIONS, hotSetCap: HOT_SET_CAP, sample: POPS + WARM_UP_POPS });
    progress(ID, `scope of ${scope.members.toLocaleString('en-US')} customers written in ${scope.setSeconds.toFixed(1)} s; its first sync`);
    const scoped = await timedFirstSync(server, scratch.file('scope.sqlite'));
    sessions.push(scoped.session);
    if (scoped.customers !== scope.members) throw new Error(`the scoped desk cached ${scoped.customers} customers; the scope has ${scope.members}`);

    progress(ID, `screen pops: ${POPS} cache hits, ${POPS} misses through the central API`);
    await timedPops(scoped.session, scope.inside.slice(POPS), 'warm-hit');
    await timedPops(scoped.session, scope.outside.slice(POPS), 'warm-miss');
    const hits = await timedPops(scoped.session, scope.inside.slice(0, POPS), 'hit');
    const misses = await timedPops(scoped.session, scope.outside.slice(0, POPS), 'miss');
    const hit = summarize(hits.samples);
    const miss = summarize(misses.samples);
    const perCustomerSeconds = scoped.seconds / scoped.customers;

    return okResult(ID, TITLE, started, {
      measurements: [
        measurement({
          metric: 'screen pop on a cache hit (desk backend card/byPhone), p95',
          value: hit.p95,
          unit: 'ms',
          goal: { on: 'value', atMost: 50 },
        }),
        measurement({
          metric: 'screen pop on a miss: card from GET /cards/by-phone over loopback, cached, p95',
          value: miss.p95,
          unit: 'ms',
          baseline: { label: 'the same desk on a cache hit, p95', value: hit.p95, unit: 'ms' },
          goal: { on: 'value', atMost: 150 },
        }),
        measurement({
          metric: `first sync of a ${Math.round((100 * scope.members) / rows)} % scope (${scope.members.toLocaleString('en-US')} customers)`,
          value: scoped.seconds,
          unit: 's',
          baseline: { label: `first sync of the whole book (${rows.toLocaleString('en-US')} customers)`, value: book.seconds, unit: 's' },
        }),
        measurement({
          metric: `first sync of a ${GOAL_SCOPE_CUSTOMERS.toLocaleString('en-US')}-customer scope, extrapolated linearly from the one measured`,
          value: perCustomerSeconds * GOAL_SCOPE_CUSTOMERS,
          unit: 's',
          goal: { on: 'value', atMost: 60 },
        }),
      ],
      notes: [
        server.description,
        `the book is spread over ${REGIONS} regions by a hash of the customer id; team T1 (the bench agent's) gets region R0 plus a hot set of at most ${HOT_SET_CAP}: ${scope.members.toLocaleString('en-US')} members, written through the change log by clm scope set's code in ${scope.setSeconds.toFixed(1)} s.`,
        `first syncs (login to caught up, snapshot then change feed): whole book ${book.seconds.toFixed(1)} s for ${book.customers.toLocaleString('en-US')} customers (${Math.round(book.customers / book.seconds).toLocaleString('en-US')}/s); scope ${scoped.seconds.toFixed(1)} s for ${scoped.customers.toLocaleString('en-US')} (${Math.round(scoped.customers / scoped.seconds).toLocaleString('en-US')}/s). ${scope.members < GOAL_SCOPE_CUSTOMERS ? `A ${GOAL_SCOPE_CUSTOMERS.toLocaleString('en-US')}-customer scope was not measured on this machine: its figure is the measured per-customer time × ${GOAL_SCOPE_CUSTOMERS.toLocaleString('en-US')} (set CLM_BENCH_SCALE_ROWS=1000000 to measure it).` : ''}`,
        `screen pops through the desk backend (lookup, card build, audit queueing; no renderer paint, see Screen pop for that): hit p50 ${hit.p50.toFixed(1)} / p95 ${hit.p95.toFixed(1)} / max ${hit.max.toFixed(1)} ms; miss p50 ${miss.p50.toFixed(1)} / p95 ${miss.p95.toFixed(1)} / max ${miss.max.toFixed(1)} ms (${POPS} each after ${WARM_UP_POPS} warm-up; cards seen: hits ${[...hits.sources].join(', ')}, misses ${[...misses.sources].join(', ')}). The API served only this desk: no other load.`,
      ],
    });
  } finally {
    for (const session of sessions) await session.close().catch(() => undefined);
    await server.api.stop();
    scratch.remove();
  }
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runScaleScopeBench());
