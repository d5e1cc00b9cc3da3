// Benchmark: store counter search (customer/search's cache side) on the million-row desk cache,
// per kind of query, against a raw prepared point lookup by phone on the same connection.
// Queries are made from the book's own customers (generated outside the timed loop), so every
// kind is measured on queries that find someone, the way the counter uses it.
import { createCustomerSearch } from '../db/cache/customer-search';
import { DEMO_SEED, generateDemoCustomer } from '../server/seed/demo-customers';
import { GIVEN_NAME_CHARACTERS } from '../server/seed/reference-data';
import { openBenchCache } from './support/bench-cache';
import { sampleIndexes } from './support/book';
import type { DeskCacheFixture } from './support/desk-cache-fixture';
import { withDeskCacheFixture } from './support/desk-fixture-scope';
import { RAW_LOOKUP_SQL } from './support/raw-lookup';
import { measurement, okResult, type BenchResult } from './support/result';
import { elapsedMs, summarize } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'search';
const TITLE = 'Store search';
const QUERIES_PER_KIND = 300;
const GOAL = { on: 'value', atMost: 50 } as const;

/** One wrong character in the middle or at the end of the name: the typo the fuzzy search is for. */
function withOneWrongCharacter(name: string, salt: number): string {
  const chars = [...name];
  const at = chars.length - 1 - (salt % Math.max(1, chars.length - 1));
  const replacement = GIVEN_NAME_CHARACTERS[(salt * 7) % GIVEN_NAME_CHARACTERS.length] ?? '伟';
  chars[at] = replacement === chars[at] ? (GIVEN_NAME_CHARACTERS[0] ?? '伟') : replacement;
  return chars.join('');
}

export async function runSearchBench(options: { fixture?: DeskCacheFixture } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withDeskCacheFixture(options.fixture, async (fixture) => {
    const db = openBenchCache(fixture.path);
    try {
      const { search } = createCustomerSearch(db);
      const raw = db.prepare<[string], string>(RAW_LOOKUP_SQL).pluck();
      const people = sampleIndexes(QUERIES_PER_KIND, fixture.rows, 0x5ea7).map((index) => generateDemoCustomer(index, DEMO_SEED));
      const queries: Record<string, string[]> = {
        'phone prefix (7 digits)': people.map((c) => c.phone.slice(0, 7)),
        'phone, full': people.map((c) => c.phone),
        'ID number, full': people.map((c) => c.idNumber),
        'ID number, last 4': people.map((c) => c.idNumber.slice(-4)),
        'name prefix (surname + 1)': people.map((c) => [...c.name].slice(0, 2).join('')),
        'name, one wrong character (fuzzy)': people.map((c, i) => withOneWrongCharacter(c.name, i)),
      };

      // Correctness before speed: a full phone or ID finds its customer; a typo'd name finds people.
      const found = (query: string, id: string) => search(query).matches.some((m) => m.customerId === id);
      const checks = {
        phone: people.filter((c) => found(c.phone, c.id)).length,
        idNumber: people.filter((c) => found(c.idNumber, c.id)).length,
        fuzzyTypoFindsOriginal: people.filter((c, i) => found(withOneWrongCharacter(c.name, i), c.id)).length,
      };
      if (checks.phone < people.length || checks.idNumber < people.length) {
        throw new Error(`search missed book customers: phone ${checks.phone}/${people.length}, ID ${checks.idNumber}/${people.length}`);
      }

      const samples: Record<string, number[]> = {};
      const matchCounts: Record<string, number[]> = {};
      for (const [kind, list] of Object.entries(queries)) {
        for (const query of list.slice(0, 20)) search(query); // warm the statement and page cache
        samples[kind] = [];
        matchCounts[kind] = [];
        for (const query of list) {
          const t = performance.now();
          const result = search(query);
          samples[kind].push(elapsedMs(t));
          matchCounts[kind].push(result.matches.length);
        }
        progress(ID, `${kind}: p95 ${summarize(samples[kind]).p95.toFixed(2)} ms`);
      }
      const rawSamples = people.map((c) => {
        const t = performance.now();
        raw.get(c.phone);
        return elapsedMs(t);
      });
      const baseline = { label: 'raw prepared .get by phone, p95', value: summarize(rawSamples).p95, unit: 'ms' };

      return okResult(ID, TITLE, started, {
        measurements: Object.entries(samples).map(([kind, list]) =>
          measurement({ metric: `search p95: ${kind}`, value: summarize(list).p95, unit: 'ms', baseline, goal: GOAL }),
        ),
        notes: [
          `${fixture.rows.toLocaleString('en-US')} customers in the cache (demo book: 40 surnames, 1–2 given characters, so names repeat a lot); ${QUERIES_PER_KIND} queries per kind from random book customers; one connection opened by openCache with the key, as the desk opens its encrypted cache.`,
          `p50 / max ms: ${Object.entries(samples)
            .map(([kind, list]) => `${kind} ${summarize(list).p50.toFixed(2)} / ${summarize(list).max.toFixed(2)}`)
            .join('; ')}.`,
          `mean matches returned: ${Object.entries(matchCounts)
            .map(([kind, list]) => `${kind} ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(1)}`)
            .join('; ')}.`,
          `checks: every full phone and full ID number found its customer; a one-character typo still listed the original customer in ${checks.fuzzyTypoFindsOriginal}/${people.length} queries (the rest: more than 20 equally close names, truncated).`,
          `cache fill through the snapshot bootstrap (generation and the bulk name-key build included): ${fixture.fillSeconds.toFixed(1)} s.`,
        ],
      });
    } finally {
      db.close();
    }
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runSearchBench());
