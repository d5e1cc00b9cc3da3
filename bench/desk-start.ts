// Desk start with a large cache: how long until the desk backend serves, against opening the
// file, and how long the whole-file integrity check (now on a worker thread) takes meanwhile.
// Each variant runs ROUNDS times on the same file, interleaved, median shown; the file is in the
// OS page cache after the first round, as it is for a desk restarted during a shift.
import { openCacheCheckingInBackground } from '../db/cache/open-cache';
import { openDeskBackend } from '../desk-backend/opening-desk-backend';
import { BENCH_CACHE_KEY, openBareCache, openBenchCache } from './support/bench-cache';
import type { DeskCacheFixture } from './support/desk-cache-fixture';
import { withDeskCacheFixture } from './support/desk-fixture-scope';
import { measurement, okResult, type BenchResult } from './support/result';
import { elapsedMs, median } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'desk-start';
const TITLE = 'Desk start';
const ROUNDS = 3;
/** Nothing is invoked, so the central API is never called; the address only has to parse. */
const UNUSED_API_URL = 'http://127.0.0.1:9';

/** Runs one start and returns the milliseconds it took (closing is not timed). */
type Variant = (path: string) => Promise<number>;

const variants: Record<string, Variant> = {
  /** Opening the file: SQLite keyed, reading its header and schema. */
  bareOpen: async (path) => {
    const started = performance.now();
    const db = openBareCache(path, { readonly: true });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    const ms = elapsedMs(started);
    db.close();
    return ms;
  },
  /** The whole quick_check before opening, as every desk start did before 2026-12-07. */
  wholeCheckAtOpen: async (path) => {
    const started = performance.now();
    const db = openBenchCache(path);
    const ms = elapsedMs(started);
    db.close();
    return ms;
  },
  /** The desk backend is open: the desk serves (a login waits for the background check). */
  deskServes: async (path) => {
    const started = performance.now();
    const backend = openDeskBackend({ cachePath: path, apiUrl: UNUSED_API_URL, cacheKey: BENCH_CACHE_KEY });
    await backend.opened;
    const ms = elapsedMs(started);
    await backend.close();
    return ms;
  },
  /** The background check from opening until the whole file passed. */
  backgroundCheck: async (path) => {
    const started = performance.now();
    const cache = openCacheCheckingInBackground(path, { key: BENCH_CACHE_KEY });
    await cache.checked;
    const ms = elapsedMs(started);
    await cache.close();
    return ms;
  },
};

export async function runDeskStartBench(options: { fixture?: DeskCacheFixture } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withDeskCacheFixture(options.fixture, async (fixture) => {
    const ms: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    const names = Object.keys(variants);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
        ms[name]!.push(await variants[name]!(fixture.path));
      }
      progress(ID, `round ${round + 1}/${ROUNDS}`);
    }
    const at = (name: string) => median(ms[name] ?? []);
    const floor = { label: 'opening the file (SQLite keyed + its schema)', value: at('bareOpen'), unit: 'ms' };
    return okResult(ID, TITLE, started, {
      measurements: [
        measurement({
          metric: 'desk backend serving (openDeskBackend opened)',
          value: at('deskServes'),
          unit: 'ms',
          baseline: floor,
          goal: { on: 'value', atMost: 2000 },
        }),
        measurement({ metric: 'whole-file quick_check on a worker thread, open → passed', value: at('backgroundCheck'), unit: 'ms', baseline: floor }),
        measurement({
          metric: 'opening with the whole quick_check first (openCache, tools and tests)',
          value: at('wholeCheckAtOpen'),
          unit: 'ms',
          baseline: floor,
        }),
      ],
      notes: [
        `${fixture.rows.toLocaleString('en-US')} customers + scores in the cache; ${ROUNDS} interleaved rounds per variant, median shown (file in the OS page cache).`,
        `ms per round: ${names.map((n) => `${n} ${ms[n]!.map((v) => v.toFixed(1)).join('/')}`).join('; ')}.`,
        'At open the desk checks every table but the bulk replica (customers, scores and the two name-key tables), and the whole file when a migration is due; a login waits for the background check and is refused with cache_unavailable (corrupt) when it fails.',
      ],
    });
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runDeskStartBench());
