// deploy/systemd/clm-api.service checked by systemd's own tools offline (this machine runs no
// systemd as PID 1): `systemd-analyze verify` in a scratch root holding the system's units and the
// release's entry point, and `systemd-analyze security --offline` for its exposure. Plus: it starts
// the same command as the container image, and its secrets arrive as credentials, not environment.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execForm, instructionsOf, repoRoot } from './support/dockerfile';
import { runtimeStage } from './support/image-layout';

const UNIT = 'clm-api.service';
const unitText = readFileSync(path.join(repoRoot, 'deploy/systemd', UNIT), 'utf8');
const directives = (key: string) => [...unitText.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((match) => match[1]!);
const execStart = directives('ExecStart')[0]!.split(/\s+/);

const systemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const SYSTEM_UNITS = '/usr/lib/systemd/system';

describe('deploy/systemd/clm-api.service', () => {
  it('starts what the container image starts, through the same entry point', () => {
    const stage = runtimeStage();
    const [node, ...args] = execForm(instructionsOf(stage, 'CMD')[0]!);
    expect(path.basename(execStart[0]!)).toBe(path.basename(execForm(instructionsOf(stage, 'ENTRYPOINT')[0]!)[0]!));
    expect(execStart.slice(1)).toEqual([`/usr/bin/${node}`, ...args.map((arg) => (arg === 'server/main.mjs' ? '/opt/clm/server/main.mjs' : arg))]);
  });

  it('runs as its own user with secrets as credentials, each read by the entry point from NAME_FILE', () => {
    expect(directives('User')).toEqual(['clm']);
    const credentials = directives('LoadCredential').map((line) => line.split(':')[0]);
    const fileVariables = directives('Environment')
      .flatMap((line) => line.split(/\s+/))
      .filter((pair) => pair.includes('_FILE='));
    expect(fileVariables.map((pair) => pair.split('=')[1])).toEqual(credentials.map((name) => `%d/${name}`));
    expect(fileVariables.map((pair) => pair.split('=')[0])).toEqual(['PGPASSWORD_FILE', 'CLM_TOKEN_SECRET_FILE', 'CLM_CTI_KEY_FILE']);
    const example = readFileSync(path.join(repoRoot, 'deploy/systemd/clm-api.env.example'), 'utf8');
    expect(example).not.toMatch(/^(CLM_TOKEN_SECRET|CLM_CTI_KEY|PGPASSWORD)=/m);
    expect(new URL(/^DATABASE_URL=(.*)$/m.exec(example)![1]!).password).toBe('');
  });
});

describe.skipIf(!systemdAnalyze)(systemdAnalyze ? 'systemd-analyze' : 'systemd-analyze not installed: unit checks skipped', () => {
  let root: string;
  beforeAll(() => {
    // A root as the unit expects it: systemd's own units, the unit, and the release's entry point at ExecStart.
    root = mkdtempSync(path.join(tmpdir(), 'clm-systemd-'));
    cpSync(SYSTEM_UNITS, path.join(root, SYSTEM_UNITS), { recursive: true, verbatimSymlinks: true });
    mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    copyFileSync(path.join(repoRoot, 'deploy/systemd', UNIT), path.join(root, 'etc/systemd/system', UNIT));
    const entrypoint = path.join(root, execStart[0]!);
    mkdirSync(path.dirname(entrypoint), { recursive: true });
    copyFileSync(path.join(repoRoot, 'deploy/image/clm-entrypoint'), entrypoint);
    chmodSync(entrypoint, 0o755);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('passes systemd-analyze verify without a warning', () => {
    const result = spawnSync('systemd-analyze', ['verify', `--root=${root}`, UNIT], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has a low exposure in systemd-analyze security (at most 2.0 of 10)', () => {
    const result = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', `--root=${root}`, UNIT], { encoding: 'utf8' });
    const level = /Overall exposure level for clm-api\.service: (\d+\.\d)/.exec(result.stdout)?.[1];
    expect(Number(level), result.stdout).toBeLessThanOrEqual(2);
    expect(result.status).toBe(0);
  });
});
