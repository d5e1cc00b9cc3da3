// Benchmark 4: the delta sync. The server changes 10,000 existing customers through its change
// log (server/sync/change-log.ts: each gets a complaint and a new score), then a desk holding the
// whole book pulls and applies them. Baseline: the same upserts written straight into the same
// cache file in one transaction.
import { DEMO_SEED, demoScore, generateDemoCustomer } from '../server/seed/demo-customers';
import { openBareCache } from './support/bench-cache';
import { sampleIndexes } from './support/book';
import { openDeskSession } from './support/desk-session';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { withSyncServer, type SyncServer } from './support/sync-server';

const ID = 'delta-sync';
const TITLE = 'Delta sync';
const CHANGED_CUSTOMERS = 10_000;
/** Server-side commit size: a back-office job writing in batches, as seedDemoData does. */
const PER_TRANSACTION = 1000;

function distinctIndexes(count: number, rows: number): number[] {
  const chosen = new Set<number>();
  for (let salt = 0xde17; chosen.size < count; salt += 1) for (const index of sampleIndexes(count, rows, salt)) if (chosen.size < count) chosen.add(index);
  return [...chosen];
}

/** Raw upsert of the same changed rows into the cache file, one transaction (rows generated first, untimed). */
function rawUpsertSeconds(cachePath: string, indexes: readonly number[]): number {
  const rows = indexes.map((index) => {
    const base = generateDemoCustomer(index, DEMO_SEED);
    const customer = { ...base, complaints30d: base.complaints30d + 1, complaints90d: base.complaints90d + 1, version: 2 };
    return { customer, customerJson: JSON.stringify(customer), scoreJson: JSON.stringify({ ...demoScore(customer), version: 2 }) };
  });
  const db = openBareCache(cachePath);
  try {
    db.pragma('synchronous = FULL');
    const upsertCustomer = db.prepare(
      `INSERT INTO customers (id, phone, name, id_number, version, data) VALUES (?, ?, ?, ?, 2, ?)
       ON CONFLICT (id) DO UPDATE SET phone = excluded.phone, name = excluded.name, id_number = excluded.id_number, version = excluded.version, data = excluded.data`,
    );
    const upsertScore = db.prepare(
      'INSERT INTO scores (customer_id, version, data) VALUES (?, 2, ?) ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version, data = excluded.data',
    );
    const started = performance.now();
    db.transaction(() => {
      for (const { customer, customerJson, scoreJson } of rows) {
        upsertCustomer.run(customer.id, customer.phone, customer.name, customer.idNumber, customerJson);
        upsertScore.run(customer.id, scoreJson);
      }
    })();
    return elapsedMs(started) / 1000;
  } finally {
    db.close();
  }
}

/** Catches a desk up, has the server change `indexes`, then times the desk's pull of them. */
async function timedDeltaPull(server: SyncServer, cachePath: string, indexes: number[]) {
  // Logging in catches the desk up (the whole book when run alone: not timed).
  const session = await openDeskSession({ cachePath, apiUrl: server.api.url });
  try {
    const before = await session.syncNow();
    progress(ID, `server changes ${indexes.length.toLocaleString('en-US')} customers through its change log`);
    const written = await server.api.call('writeChangedCustomers', { indexes, perTransaction: PER_TRANSACTION });
    const expectedCursor = await server.api.call('maxSeq', undefined);
    const started = performance.now();
    const after = await session.syncNow();
    const seconds = elapsedMs(started) / 1000;
    if (after.cursor !== expectedCursor) throw new Error(`delta sync stopped at cursor ${after.cursor}, expected ${expectedCursor}`);
    return { seconds, pulled: after.cursor - before.cursor, cached: after.customersCached, serverSeconds: written.seconds };
  } finally {
    await session.close();
  }
}

export async function runDeltaSyncBench(options: { server?: SyncServer; syncedCachePath?: string } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withSyncServer(options.server, async (server) => {
    const scratch = createScratchDir('delta');
    try {
      if (options.syncedCachePath === undefined) progress(ID, 'untimed initial sync to get a desk holding the whole book');
      const cachePath = options.syncedCachePath ?? scratch.file('synced.sqlite');
      const indexes = distinctIndexes(Math.min(CHANGED_CUSTOMERS, server.api.customers), server.api.customers);
      const pull = await timedDeltaPull(server, cachePath, indexes);
      const rawSeconds = rawUpsertSeconds(cachePath, indexes);
      return okResult(ID, TITLE, started, {
        measurements: [
          measurement({
            metric: `${indexes.length.toLocaleString('en-US')} changed customers (+ new scores) pulled and applied`,
            value: pull.seconds,
            unit: 's',
            baseline: { label: 'raw upsert of the same rows into the same cache, one transaction', value: rawSeconds, unit: 's' },
          }),
        ],
        notes: [
          server.description,
          `${pull.pulled.toLocaleString('en-US')} changes (${Math.round(indexes.length / pull.seconds).toLocaleString('en-US')} customers/s) pulled by 'sync/now' of a logged-in desk holding ${pull.cached.toLocaleString('en-US')} customers; the server wrote them first in ${pull.serverSeconds.toFixed(1)} s (${PER_TRANSACTION} customers + scores per transaction through upsertCustomers/upsertScores), not timed.`,
        ],
      });
    } finally {
      scratch.remove();
    }
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runDeltaSyncBench());
