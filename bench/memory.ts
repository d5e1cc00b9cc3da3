// Benchmark 7: resident memory of the desk backend holding the million-row cache (after a pass
// of card lookups), against a bare Node process with better-sqlite3 on the same file doing the
// same lookups. Each runs in its own child process; both load tsx, so the loader cancels out.
import path from 'node:path';
import { samplePhones } from './support/book';
import { forkChild } from './support/child-rpc';
import type { DeskCacheFixture } from './support/desk-cache-fixture';
import { withDeskCacheFixture } from './support/desk-fixture-scope';
import type { MemoryProbeConfig, MemoryProbeMode, MemorySnapshot } from './support/memory-probe-child';
import { measurement, type BenchResult } from './support/result';
import { elapsedMs } from './support/stats';
import { isMainModule, progress, runStandalone } from './support/standalone';

const ID = 'memory';
const TITLE = 'Memory';
const LOOKUPS = 20_000;

type ProbeMethods = {
  lookupPass(arg: { phones: string[] }): Promise<{ found: number }>;
  snapshot(arg: undefined): Promise<MemorySnapshot>;
};

async function probe(mode: MemoryProbeMode, cachePath: string, phones: string[]): Promise<MemorySnapshot & { found: number }> {
  const child = await forkChild<ProbeMethods, unknown>(path.join(import.meta.dirname, 'support/memory-probe-child.ts'), { mode, cachePath } satisfies MemoryProbeConfig, {
    execArgv: ['--expose-gc'],
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
    progress(ID, 'desk backend child');
    const desk = await probe('desk', fixture.path, phones);
    progress(ID, 'bare better-sqlite3 child');
    const bare = await probe('bare', fixture.path, phones);
    const empty = await probe('empty', fixture.path, []);
    const bareBaseline = { label: 'bare Node + better-sqlite3, same file, same lookups', value: bare.rssMb, unit: 'MB' };
    return {
      id: ID,
      title: TITLE,
      status: 'ok',
      measurements: [
        measurement({ metric: 'desk backend RSS after lookups', value: desk.rssMb, unit: 'MB', baseline: bareBaseline }),
        measurement({ metric: 'desk backend peak RSS', value: desk.peakRssMb, unit: 'MB', baseline: { ...bareBaseline, value: bare.peakRssMb } }),
      ],
      notes: [
        `${fixture.rows.toLocaleString('en-US')} customers cached; ${LOOKUPS.toLocaleString('en-US')} card lookups (desk: invoke('card/byPhone'), ${desk.found} known; bare: prepared .get, ${bare.found} found), then a forced GC before reading RSS.`,
        `desk heap used ${desk.heapUsedMb.toFixed(1)} MB, external ${desk.externalMb.toFixed(1)} MB; bare heap ${bare.heapUsedMb.toFixed(1)} MB; an empty Node + tsx child is ${empty.rssMb.toFixed(1)} MB RSS.`,
      ],
      seconds: elapsedMs(started) / 1000,
    };
  });
}

if (isMainModule(import.meta.url)) await runStandalone(ID, TITLE, () => runMemoryBench());
