// `npm run bench`: every benchmark in one run, one table. Writes bench/results.json (gitignored)
// and bench/LATEST.md (the table for the README). The million-row desk cache is filled once
// and shared; the sync benchmarks share one seeded central API. Nothing here asserts a time.
import os from 'node:os';
import path from 'node:path';
import { runApiLoadBench } from './api-load';
import { runBatchScoringBench } from './batch-scoring';
import { runApiScaleBench } from './api-scale';
import { runChangeLogContentionBench } from './change-log-contention';
import { runCipherCostBench } from './cipher-cost';
import { runCtiConnectorBench } from './cti-connectors';
import { runDeltaSyncBench } from './delta-sync';
import { runDeskStartBench } from './desk-start';
import { runFirstPaintBench } from './first-paint';
import { runImportBench } from './import-throughput';
import { runInitialSyncBench } from './initial-sync';
import { runLookupBench } from './lookup';
import { runMemoryBench } from './memory';
import { runRendererHeapBench } from './renderer-heap';
import { runScaleScopeBench } from './scale-scope';
import { runMonthCloseBench } from './month-close';
import { runScoringBench } from './scoring';
import { runScreenPopBench } from './screen-pop';
import { runSearchBench } from './search';
import { runSupervisorReportBench } from './supervisor-report';
import { runUpliftSimulationBench } from './uplift-simulation';
import { benchRows } from './support/book';
import { fillDeskCache } from './support/desk-cache-fixture';
import { machineInfo } from './support/machine';
import { renderText, writeReport, type BenchReport } from './support/report';
import type { BenchResult } from './support/result';
import { createScratchDir } from './support/scratch-dir';
import { elapsedMs } from './support/stats';
import { progress, runGuarded } from './support/standalone';
import { startSyncServer, type SyncServer } from './support/sync-server';

const started = performance.now();
const date = new Date().toISOString();
const loadAtStart = os.loadavg()[0] ?? 0;
const rows = benchRows();
const setup: string[] = [];
const results: BenchResult[] = [];
const scratch = createScratchDir('run-all');

/** Runs the sync benchmarks on one seeded server; if it cannot start, both are recorded as failed. */
async function syncBenchmarks(): Promise<BenchResult[]> {
  let server: SyncServer;
  try {
    server = await startSyncServer(rows);
    if (server.seedSeconds > 0)
      setup.push(
        `the central API's ${rows.toLocaleString('en-US')}-customer book was seeded by this run in ${server.seedSeconds.toFixed(1)} s and kept; the next run copies it instead.`,
      );
  } catch (error) {
    const failed = (id: string, title: string) => runGuarded(id, title, () => Promise.reject(error));
    return [await failed('initial-sync', 'Initial sync'), await failed('delta-sync', 'Delta sync')];
  }
  try {
    // The delta sync starts from the cache the initial sync filled.
    const syncedCachePath = scratch.file('synced.sqlite');
    return [
      await runGuarded('initial-sync', 'Initial sync', () => runInitialSyncBench({ server, syncedCachePath })),
      await runGuarded('delta-sync', 'Delta sync', () => runDeltaSyncBench({ server, syncedCachePath })),
      await runGuarded('month-close', 'Scale: a month close costs desks a small delta', () => runMonthCloseBench(server)),
    ];
  } finally {
    await server.api.stop();
  }
}

try {
  progress('run-all', `${rows.toLocaleString('en-US')} customers; filling the shared desk cache`);
  const fixture = await fillDeskCache(scratch.file('desk-cache.sqlite'), rows);
  setup.push(
    `desk cache of ${rows.toLocaleString('en-US')} customers + scores filled through the snapshot bootstrap in ${fixture.fillSeconds.toFixed(1)} s (generation included; scores from the placeholder rules, demoScore, as no server is involved), shared by screen pop, lookup, store search and memory.`,
  );
  results.push(await runGuarded('desk-start', 'Desk start', () => runDeskStartBench({ fixture })));
  results.push(await runGuarded('first-paint', 'First paint after login', () => runFirstPaintBench({ fixture })));
  results.push(await runGuarded('screen-pop', 'Screen pop', () => runScreenPopBench({ fixture })));
  results.push(await runGuarded('lookup', 'Card lookup', () => runLookupBench({ fixture })));
  results.push(await runGuarded('search', 'Store search', () => runSearchBench({ fixture })));
  // Plain better-sqlite3 against the encrypted desk cache (and the SQLCipher scheme not chosen), same run.
  results.push(await runGuarded('cipher-cost', 'Desk cache encryption cost', () => runCipherCostBench()));
  results.push(...(await syncBenchmarks()));
  results.push(await runGuarded('api-load', 'Central API', () => runApiLoadBench()));
  results.push(
    await runGuarded('change-log-contention', 'Scale: imports, scoring and outcome uploads no longer wait on each other', () => runChangeLogContentionBench()),
  );
  results.push(await runGuarded('scale-scope', 'Scale: a desk caches its scope, the server answers the rest', () => runScaleScopeBench()));
  results.push(await runGuarded('api-scale', 'Scale-out: API instances behind HAProxy', () => runApiScaleBench()));
  results.push(await runGuarded('cti-connectors', 'CTI connectors', () => runCtiConnectorBench()));
  results.push(await runGuarded('supervisor-report', 'Supervisor reports', () => runSupervisorReportBench()));
  results.push(await runGuarded('uplift-simulation', 'Retention measured on a known truth (simulation)', () => runUpliftSimulationBench()));
  results.push(await runGuarded('scoring', 'Scoring (churn model)', () => runScoringBench()));
  results.push(await runGuarded('batch-scoring', 'Scale: batch scoring (clm score) on worker threads', () => runBatchScoringBench()));
  results.push(await runGuarded('import', 'Import of the operator customer file (clm import customers)', () => runImportBench()));
  results.push(await runGuarded('memory', 'Memory', () => runMemoryBench({ fixture })));
  results.push(await runGuarded('renderer-heap', 'Renderer heap', () => runRendererHeapBench()));
} finally {
  scratch.remove();
}

const report: BenchReport = {
  date,
  machine: machineInfo(),
  rows,
  totalSeconds: elapsedMs(started) / 1000,
  loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
  setup,
  benchmarks: results,
};
const written = writeReport(report, import.meta.dirname);
console.log(`\n${renderText(report)}\n\nwrote ${path.relative(process.cwd(), written.json)} and ${path.relative(process.cwd(), written.markdown)}`);
process.exitCode = results.some((r) => r.status === 'failed') ? 1 : 0;
