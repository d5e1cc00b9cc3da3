// The benchmark book: the server's own deterministic demo customers (generateDemoCustomer),
// so the desk cache filled here, the server's seeded rows and the numbers called are the same
// people. Generation always happens outside timed sections.
import type { Customer, CustomerScore } from '../../shared/contract/entities';
import { DEMO_SEED, demoPhone, demoScore, generateDemoCustomer } from '../../server/seed/demo-customers';
import { seededRandom } from '../../server/seed/seeded-random';

export const DEFAULT_BENCH_ROWS = 1_000_000;

/** CLM_BENCH_ROWS (default 1,000,000): customers in the cache and on the server. */
export function benchRows(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CLM_BENCH_ROWS;
  if (raw === undefined || raw === '') return DEFAULT_BENCH_ROWS;
  const rows = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(rows) || rows < 1000) throw new Error(`CLM_BENCH_ROWS must be a whole number >= 1000, got '${raw}'`);
  return rows;
}

export interface BookChunk {
  /** Index of the first customer in the chunk. */
  start: number;
  customers: Customer[];
  scores: CustomerScore[];
}

/** Customers 0..rows-1 (with their scores) in chunks, generated lazily to keep memory flat. */
export function* bookChunks(rows: number, chunkSize: number): Generator<BookChunk> {
  for (let start = 0; start < rows; start += chunkSize) {
    const customers = Array.from({ length: Math.min(chunkSize, rows - start) }, (_, i) => generateDemoCustomer(start + i, DEMO_SEED));
    yield { start, customers, scores: customers.map(demoScore) };
  }
}

/**
 * `count` customer indexes drawn uniformly (with repeats) from the book. Each benchmark passes
 * its own `salt`, so runs are reproducible and benchmarks do not share one warmed-up sample.
 */
export function sampleIndexes(count: number, rows: number, salt: number): number[] {
  const random = seededRandom(DEMO_SEED ^ salt, salt);
  return Array.from({ length: count }, () => random.int(0, rows - 1));
}

/** The caller number of customer #index (pure: no need to generate the customer). */
export const phoneOf = (index: number): string => demoPhone(index, DEMO_SEED);

export const samplePhones = (count: number, rows: number, salt: number): string[] => sampleIndexes(count, rows, salt).map(phoneOf);
