// Benchmarks that need the million-row desk cache take it from run-all (built once) or, run
// alone, build their own in a scratch folder and remove it afterwards.
import { benchRows } from './book';
import { fillDeskCache, type DeskCacheFixture } from './desk-cache-fixture';
import { createScratchDir } from './scratch-dir';
import { progress } from './standalone';

export async function withDeskCacheFixture<T>(given: DeskCacheFixture | undefined, use: (fixture: DeskCacheFixture) => Promise<T>): Promise<T> {
  if (given !== undefined) return use(given);
  const dir = createScratchDir('desk');
  try {
    const rows = benchRows();
    progress('fixture', `filling a desk cache with ${rows.toLocaleString('en-US')} customers through the snapshot bootstrap`);
    const fixture = await fillDeskCache(dir.file('desk-cache.sqlite'), rows);
    progress('fixture', `filled in ${fixture.fillSeconds.toFixed(1)} s`);
    return await use(fixture);
  } finally {
    dir.remove();
  }
}
