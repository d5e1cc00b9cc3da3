// Benchmark 3: the initial sync, the whole book (customers + scores) from the central API into
// an empty desk cache, against a raw bulk insert of the same rows in one transaction. Then the
// resumability check: a desk in a child process is SIGKILLed half-way, a new desk opens the same
// file and must continue from the committed cursor without downloading applied changes again.
import { once } from 'node:events';
import path from 'node:path';
import { buildNameKeysSql, SNAPSHOT_PROGRESS_KEY } from '../db/cache/migrations';
import type { CacheDb } from '../db/cache/open-cache';
import { CACHE_TABLES } from '../db/replica/cache-tables';
import { SNAPSHOT_PAGE_SIZE } from '../db/replica/snapshot-bootstrap';
import { openBareCache, openBenchCache } from './support/bench-cache';
import { bookChunks } from './support/book';
import { forkChild } from './support/child-rpc';
import { openDeskSession } from './support/desk-session';
import { countingFetch, timingFetch } from './support/fetch-probes';
import type { DeskSyncChildConfig } from './support/desk-sync-child';
import { measurement, okResult, type BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';
import { withSyncServer, type SyncServer } from './support/sync-server';

const ID = 'initial-sync';
const TITLE = 'Initial sync';
const INTERRUPT_AT = 0.5;
const RAW_CHUNK = 5000;

/** Pulls everything into `cachePath` (a new file); seconds from login to caught up. */
async function timedInitialSync(server: SyncServer, cachePath: string) {
  const timing = timingFetch();
  const started = performance.now();
  const session = await openDeskSession({ cachePath, apiUrl: server.api.url, fetch: timing.fetch });
  try {
    const status = await session.syncNow();
    return { seconds: elapsedMs(started) / 1000, status, serverWaitSeconds: timing.waitSeconds(), pages: timing.pages() };
  } finally {
    await session.close();
  }
}

/**
 * The physical limit: the same rows, already serialized, inserted by prepared statements in ONE
 * transaction, ending in the same cache state (the fuzzy-name index built once, in bulk, as the
 * bootstrap does; row-by-row trigger maintenance would make this baseline 10x slower).
 */
function rawBulkInsertSeconds(cachePath: string, rows: number): number {
  const db = openBenchCache(cachePath);
  try {
    const insertCustomer = db.prepare('INSERT INTO customers (id, phone, name, id_number, version, data) VALUES (?, ?, ?, ?, 1, ?)');
    const insertScore = db.prepare('INSERT INTO scores (customer_id, version, data) VALUES (?, 1, ?)');
    let insertMs = 0;
    let started = performance.now();
    db.exec('BEGIN');
    db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)').run(SNAPSHOT_PROGRESS_KEY, 'raw-baseline');
    insertMs += elapsedMs(started);
    for (const chunk of bookChunks(rows, RAW_CHUNK)) {
      // Generating and serializing the rows is not part of the baseline; only the inserts are timed.
      const customers = chunk.customers.map((c) => [c.id, c.phone, c.name, c.idNumber, JSON.stringify(c)] as const);
      const scores = chunk.scores.map((s) => [s.customerId, JSON.stringify(s)] as const);
      started = performance.now();
      for (const row of customers) insertCustomer.run(...row);
      for (const row of scores) insertScore.run(...row);
      insertMs += elapsedMs(started);
    }
    started = performance.now();
    db.exec(buildNameKeysSql);
    db.prepare('DELETE FROM sync_state WHERE key = ?').run(SNAPSHOT_PROGRESS_KEY);
    db.exec('COMMIT');
    insertMs += elapsedMs(started);
    return insertMs / 1000;
  } finally {
    db.close();
  }
}

const readCursor = (db: CacheDb): number => {
  const cursor = db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").pluck().get();
  return typeof cursor === 'number' ? cursor : 0;
};

/** Rows the cache holds in its synced tables: what a bootstrap has committed so far. */
const committedRows = (db: CacheDb): number =>
  Object.values(CACHE_TABLES).reduce((sum, { table }) => sum + Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()), 0);

function committedState(cachePath: string): { cursor: number; customers: number; rows: number } {
  const db = openBareCache(cachePath, { readonly: true });
  try {
    return { cursor: readCursor(db), customers: Number(db.prepare('SELECT count(*) FROM customers').pluck().get()), rows: committedRows(db) };
  } finally {
    db.close();
  }
}

/** Kills a syncing desk half-way, then resumes on the same file; what was fetched after the restart? */
async function interruptAndResume(server: SyncServer, cachePath: string, totalChanges: number) {
  const child = await forkChild<Record<string, never>, unknown>(path.join(import.meta.dirname, 'support/desk-sync-child.ts'), {
    cachePath,
    apiUrl: server.api.url,
  } satisfies DeskSyncChildConfig);
  const exited = once(child.process, 'exit');
  // The child created the file before it reported ready; one reader polls the committed cursor.
  const watcher = openBareCache(cachePath, { readonly: true });
  try {
    // A bootstrap commits rows page by page and moves the cursor only at its end: watch the rows.
    while (committedRows(watcher) < totalChanges * INTERRUPT_AT && child.process.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    watcher.close();
  }
  child.process.kill('SIGKILL');
  await exited;
  const atKill = committedState(cachePath);
  // In the static benchmark book every row is one change, so what is left is the rows not yet committed.
  const remaining = (await server.api.call('countChangesAfter', { after: 0 })) - atKill.rows;

  const counting = countingFetch();
  const started = performance.now();
  const session = await openDeskSession({ cachePath, apiUrl: server.api.url, fetch: counting.fetch });
  try {
    const status = await session.syncNow();
    return { atKill, remaining, fetched: counting.fetched(), firstRequest: counting.starts[0] ?? null, status, seconds: elapsedMs(started) / 1000 };
  } finally {
    await session.close();
  }
}

export async function runInitialSyncBench(options: { server?: SyncServer; syncedCachePath?: string } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withSyncServer(options.server, async (server) => {
    const scratch = createScratchDir('sync');
    try {
      const rows = server.api.customers;
      const maxSeq = await server.api.call('maxSeq', undefined);
      progress(ID, `desk pulls ${rows.toLocaleString('en-US')} customers + scores (${maxSeq.toLocaleString('en-US')} changes) into an empty cache`);
      const sync = await timedInitialSync(server, options.syncedCachePath ?? scratch.file('synced.sqlite'));
      if (sync.status.customersCached !== rows || sync.status.cursor !== maxSeq)
        throw new Error(`initial sync ended with ${sync.status.customersCached} customers at cursor ${sync.status.cursor}; expected ${rows} at ${maxSeq}`);
      progress(ID, `synced in ${sync.seconds.toFixed(1)} s; raw bulk insert baseline`);
      const rawSeconds = rawBulkInsertSeconds(scratch.file('raw.sqlite'), rows);
      progress(ID, `raw insert ${rawSeconds.toFixed(1)} s; interrupt-and-resume check`);
      const resume = await interruptAndResume(server, scratch.file('resumed.sqlite'), maxSeq);
      const resumedComplete = resume.status.customersCached === rows && resume.status.cursor === maxSeq;

      const perSecond = rows / sync.seconds;
      return okResult(ID, TITLE, started, {
        measurements: [
          measurement({
            metric: `${rows.toLocaleString('en-US')} customers + scores, API → empty cache`,
            value: perSecond,
            unit: 'customers/s',
            baseline: { label: 'raw bulk insert of the same rows, one transaction', value: rows / rawSeconds, unit: 'customers/s' },
            goal: { on: 'ratio', atLeast: 0.5 },
          }),
          measurement({
            metric: 'rows fetched after a SIGKILL half-way + restart',
            value: resume.fetched,
            unit: 'rows',
            baseline: { label: 'rows not yet committed at the kill', value: resume.remaining, unit: 'rows' },
            goal: { on: 'ratio', atMost: 1 },
          }),
        ],
        notes: [
          server.description,
          `timed sync: ${sync.seconds.toFixed(1)} s from login to caught up, ${maxSeq.toLocaleString('en-US')} rows (${Math.round(maxSeq / sync.seconds).toLocaleString('en-US')} rows/s) as a snapshot bootstrap in pages of ${SNAPSHOT_PAGE_SIZE.toLocaleString('en-US')} rows, then the change feed; raw bulk insert of the same ${(rows * 2).toLocaleString('en-US')} rows: ${rawSeconds.toFixed(1)} s (desk schema and pragmas, WAL, synchronous=FULL; row generation and JSON serialization not timed).`,
          `where the ${sync.seconds.toFixed(1)} s went: ${sync.serverWaitSeconds.toFixed(1)} s waiting for ${sync.pages.toLocaleString('en-US')} /sync/snapshot and /sync/changes responses (central API: query + response serialization; the next page is requested while the current one is written, so the two overlap), ${(sync.seconds - sync.serverWaitSeconds).toFixed(1)} s in the desk (body read, JSON.parse, contract parse, writing pages, the name-key index at the end).`,
          `resume: the desk was killed with ${resume.atKill.rows.toLocaleString('en-US')} rows (${resume.atKill.customers.toLocaleString('en-US')} customers) committed at cursor ${resume.atKill.cursor.toLocaleString('en-US')}; the restarted desk asked first for ${resume.firstRequest ?? 'nothing'}, fetched ${resume.fetched.toLocaleString('en-US')} rows (${resume.remaining.toLocaleString('en-US')} were left) in ${resume.seconds.toFixed(1)} s and ended ${resumedComplete ? `complete (${rows.toLocaleString('en-US')} customers, cursor ${maxSeq.toLocaleString('en-US')})` : `INCOMPLETE (${resume.status.customersCached} customers, cursor ${resume.status.cursor})`}.`,
        ],
      });
    } finally {
      scratch.remove();
    }
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runInitialSyncBench());
