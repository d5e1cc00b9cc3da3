// `clm privacy` on the command line: bad input (an unknown customer, a bad flag or retention
// setting) ends with exit code 2 and one line on stderr; purge reports its counts as JSON. The
// first case runs as a child process; the rest in-process (tests/support/clm-process.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_ENV } from '../../server/privacy/retention-policy';
import { envWithoutDatabaseUrl, runClm, runClmInProcess } from '../support/clm-process';
import { migratedDataDir } from '../support/test-pglite';

const scratch = mkdtempSync(path.join(tmpdir(), 'clm-privacy-cli-'));
const dataDir = path.join(scratch, 'db');
beforeAll(() => migratedDataDir(dataDir));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function clmEnv(extraEnv: Record<string, string>) {
  const env = envWithoutDatabaseUrl();
  // The defaults are what is checked unless a test sets a window itself.
  for (const name of Object.values(RETENTION_ENV)) delete env[name];
  return Object.assign(env, extraEnv);
}
/** `clm privacy ARGS` as a child process. */
const clm = (args: string[], extraEnv: Record<string, string> = {}) => runClm(['privacy', ...args, '--data-dir', dataDir], { env: clmEnv(extraEnv) });
/** The same in this process (tests/support/clm-process.ts). */
const clmInProcess = (args: string[], extraEnv: Record<string, string> = {}) =>
  runClmInProcess(['privacy', ...args, '--data-dir', dataDir], { env: clmEnv(extraEnv) });

describe('clm privacy', () => {
  it('erase of an unknown id exits 2 with one line on stderr', () => {
    const run = clm(['erase', '--customer', 'CUS-NOBODY', '--reason', 'erasure request 2026-017']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('clm: privacy: no customer with id "CUS-NOBODY"\n');
  });

  it('purge --dry-run --json prints the counts per table', async () => {
    const run = await clmInProcess(['purge', '--dry-run', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { dryRun: boolean; counts: { target: string; purged: number; retentionDays: number }[] };
    expect(printed.dryRun).toBe(true);
    expect(printed.counts.map((c) => [c.target, c.purged, c.retentionDays])).toEqual([
      ['cti_calls', 0, 180],
      ['card_view_audit', 0, 365],
      ['outcomes.note', 0, 180],
      ['customer_events', 0, 365],
    ]);
  });

  it('refuses a bad retention setting and a missing flag before opening the database', async () => {
    const badPolicy = await clmInProcess(['purge'], { CLM_RETENTION_CTI_CALLS_DAYS: 'a week' });
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toMatch(/^clm: privacy purge: retention policy: CLM_RETENTION_CTI_CALLS_DAYS: .*\n$/);
    const noReason = await clmInProcess(['erase', '--customer', 'CUS-NOBODY']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe('clm: privacy erase: missing required flag --reason\n');
  });
});
