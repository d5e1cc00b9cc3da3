// Benchmark 7: resident memory of the desk backend holding the million-row cache (after a pass
// of card lookups), against a bare Node process with SQLite alone (keyed) on the same file doing the
// same lookups. Each runs in its own child process; both load tsx, so the loader cancels out.
import path from 'node:path';
import { samplePhones } from './support/book';
import { startCentralApiProcess } from './support/central-api-process';
import { forkChild } from './support/child-rpc';
import type { DeskCacheFixture } from './support/desk-cache-fixture';
import { withDeskCacheFixture } from './support/desk-fixture-scope';
import type { MemoryProbeConfig, MemoryProbeMode, MemorySnapshot } from './support/memory-probe-child';
import { measurement, okResult, type BenchResult } from './support/result';
import { choosePostgresOrPglite } from './support/server-database';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'memory';
const TITLE = 'Memory';
const LOOKUPS = 20_000;

type ProbeMethods = {
  lookupPass(arg: { phones: string[] }): Promise<{ found: number }>;
  snapshot(arg: undefined): Promise<MemorySnapshot>;
};

/** The desk's first login waits for its cache's integrity check (quick_check), which alone takes seconds at a million rows. */
const PROBE_STARTUP_TIMEOUT_MS = 180_000;

async function probe(config: MemoryProbeConfig, phones: string[]): Promise<MemorySnapshot & { found: number }> {
  const child = await forkChild<ProbeMethods, unknown>(path.join(import.meta.dirname, 'support/memory-probe-child.ts'), config, {
    execArgv: ['--expose-gc'],
    startupTimeoutMs: PROBE_STARTUP_TIMEOUT_MS,
  });
  try {
    const { found } = await child.call('lookupPass', { phones });
    return { ...(await child.call('snapshot', undefined)), found };
  } finally {
    await child.stop();
  }
}

export async function runMemoryBench(options: { fixture?: DeskCacheFixture } = {}): Promise<BenchResult> {
  const started = performance.now();
  return withDeskCacheFixture(options.fixture, async (fixture) => {
    const phones = samplePhones(LOOKUPS, fixture.rows, 0x3e3);
    const choice = await choosePostgresOrPglite();
    const api = await startCentralApiProcess({ driver: 'pglite', choice, customers: 0 });
    const config = (mode: MemoryProbeMode): MemoryProbeConfig => ({ mode, cachePath: fixture.path, apiUrl: api.url });
    const [desk, bare, empty] = await (async () => {
      try {
        progress(ID, 'desk backend child');
        const deskProbe = await probe(config('desk'), phones);
        progress(ID, 'bare SQLite child');
        return [deskProbe, await probe(config('bare'), phones), await probe(config('empty'), [])] as const;
      } finally {
        await api.stop();
      }
    })();
    const bareBaseline = { label: 'bare Node + SQLite (keyed), same encrypted file, same lookups', value: bare.rssMb, unit: 'MB' };
    return okResult(ID, TITLE, started, {
      measurements: [
        measurement({ metric: 'desk backend RSS after lookups', value: desk.rssMb, unit: 'MB', baseline: bareBaseline }),
        measurement({ metric: 'desk backend peak RSS', value: desk.peakRssMb, unit: 'MB', baseline: { ...bareBaseline, value: bare.peakRssMb } }),
      ],
      notes: [
        `${fixture.rows.toLocaleString('en-US')} customers cached; ${LOOKUPS.toLocaleString('en-US')} card lookups (desk: invoke('card/byPhone'), ${desk.found} known; bare: prepared .get, ${bare.found} found), then a forced GC before reading RSS.`,
        `desk heap used ${desk.heapUsedMb.toFixed(1)} MB, external ${desk.externalMb.toFixed(1)} MB; bare heap ${bare.heapUsedMb.toFixed(1)} MB; an empty Node + tsx child is ${empty.rssMb.toFixed(1)} MB RSS.`,
      ],
    });
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runMemoryBench());
