// `clm privacy` on the command line: bad input (an unknown customer, a bad flag or retention
// setting) ends with exit code 2 and one line on stderr; purge reports its counts as JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RETENTION_ENV } from '../../server/privacy/retention-policy';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'clm-privacy-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function clm(args: string[], extraEnv: Record<string, string> = {}) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  // The defaults are what is checked unless a test sets a window itself.
  for (const name of Object.values(RETENTION_ENV)) delete env[name];
  Object.assign(env, extraEnv);
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/clm.ts', 'privacy', ...args, '--data-dir', dataDir], {
    cwd: repoRoot,
    encoding: 'utf8',
    env,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('clm privacy', () => {
  it('erase of an unknown id exits 2 with one line on stderr', () => {
    const run = clm(['erase', '--customer', 'CUS-NOBODY', '--reason', 'erasure request 2026-017']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('clm: privacy: no customer with id "CUS-NOBODY"\n');
  });

  it('purge --dry-run --json prints the counts per table', () => {
    const run = clm(['purge', '--dry-run', '--json']);
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

  it('refuses a bad retention setting and a missing flag before opening the database', () => {
    const badPolicy = clm(['purge'], { CLM_RETENTION_CTI_CALLS_DAYS: 'a week' });
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toMatch(/^clm: privacy purge: retention policy: CLM_RETENTION_CTI_CALLS_DAYS: .*\n$/);
    const noReason = clm(['erase', '--customer', 'CUS-NOBODY']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe('clm: privacy erase: missing required flag --reason\n');
  });
});
