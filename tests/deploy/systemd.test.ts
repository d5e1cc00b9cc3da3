// deploy/systemd/ checked by systemd's own tools offline (this machine runs no systemd as PID 1):
// `systemd-analyze verify` in a scratch root holding the system's units, ours and the release's
// scripts, and `systemd-analyze security --offline` for the services' exposure. Plus: the API starts
// the same command as the container image, secrets arrive as credentials, not environment, and the
// daily retention purge runs `clm privacy purge` with the API's settings, hardened the same way.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVACY_USAGE } from '../../server/cli/privacy-command';
import { execForm, instructionsOf, repoRoot } from './support/dockerfile';
import { runtimeStage } from './support/image-layout';

const API = 'clm-api.service';
const PURGE = 'clm-privacy-purge.service';
const PURGE_TIMER = 'clm-privacy-purge.timer';
const UNITS = [API, PURGE, PURGE_TIMER];

function unitFile(name: string) {
  const text = readFileSync(path.join(repoRoot, 'deploy/systemd', name), 'utf8');
  const directives = (key: string) => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((match) => match[1]!);
  return { text, directives, execStart: () => directives('ExecStart')[0]!.split(/\s+/) };
}
const api = unitFile(API);
const purge = unitFile(PURGE);
const timer = unitFile(PURGE_TIMER);

/** NAME_FILE=%d/name pairs of the Environment lines, which the entry point reads into NAME. */
const fileVariables = (unit: ReturnType<typeof unitFile>) =>
  unit
    .directives('Environment')
    .flatMap((line) => line.split(/\s+/))
    .filter((pair) => pair.includes('_FILE='));
const credentialNames = (unit: ReturnType<typeof unitFile>) => unit.directives('LoadCredential').map((line) => line.split(':')[0]);
/** The directive lines of the hardening block, from its comment to the [Install] section or the end. */
const hardening = (unit: ReturnType<typeof unitFile>) =>
  unit.text
    .slice(unit.text.indexOf('\n# Hardening'))
    .split('[Install]')[0]!
    .split('\n')
    .filter((line) => /^[A-Z]\w*=/.test(line));

const systemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const SYSTEM_UNITS = '/usr/lib/systemd/system';

describe('deploy/systemd/clm-api.service', () => {
  it('starts what the container image starts, through the same entry point', () => {
    const stage = runtimeStage();
    const [node, ...args] = execForm(instructionsOf(stage, 'CMD')[0]!);
    const execStart = api.execStart();
    expect(path.basename(execStart[0]!)).toBe(path.basename(execForm(instructionsOf(stage, 'ENTRYPOINT')[0]!)[0]!));
    expect(execStart.slice(1)).toEqual([`/usr/bin/${node}`, ...args.map((arg) => (arg === 'server/main.mjs' ? '/opt/clm/server/main.mjs' : arg))]);
  });

  it('runs as its own user with secrets as credentials, each read by the entry point from NAME_FILE', () => {
    expect(api.directives('User')).toEqual(['clm']);
    const variables = fileVariables(api);
    expect(variables.map((pair) => pair.split('=')[1])).toEqual(credentialNames(api).map((name) => `%d/${name}`));
    expect(variables.map((pair) => pair.split('=')[0])).toEqual(['PGPASSWORD_FILE', 'CLM_TOKEN_SECRET_FILE', 'CLM_CTI_KEY_FILE']);
    const example = readFileSync(path.join(repoRoot, 'deploy/systemd/clm-api.env.example'), 'utf8');
    expect(example).not.toMatch(/^(CLM_TOKEN_SECRET|CLM_CTI_KEY|PGPASSWORD)=/m);
    expect(new URL(/^DATABASE_URL=(.*)$/m.exec(example)![1]!).password).toBe('');
  });
});

describe('deploy/systemd/clm-privacy-purge.service and .timer', () => {
  it('runs `clm privacy purge --json` from the release beside the API’s entry point (the wrapper that reads NAME_FILE)', () => {
    const [command, ...args] = purge.execStart();
    expect(command).toBe(path.join(path.dirname(api.execStart()[0]!), 'clm'));
    expect(readFileSync(path.join(repoRoot, 'deploy/image/clm'), 'utf8')).toContain('"$here/clm-entrypoint"');
    expect(args).toEqual(['privacy', 'purge', '--json']);
    const purgeUsage = PRIVACY_USAGE.find((line) => line.startsWith('clm privacy purge '));
    expect(purgeUsage).toContain('[--json]');
    expect(purge.directives('Type')).toEqual(['oneshot']);
  });

  it('reads the API’s settings as the API’s user, with the database password as its only credential', () => {
    for (const key of ['User', 'Group', 'WorkingDirectory', 'EnvironmentFile']) expect(purge.directives(key), key).toEqual(api.directives(key));
    expect(purge.directives('Environment')).toContain(api.directives('Environment')[0]);
    expect(credentialNames(purge)).toEqual(['postgres_password']);
    expect(purge.directives('LoadCredential')).toEqual(api.directives('LoadCredential').filter((line) => line.startsWith('postgres_password:')));
    expect(fileVariables(purge)).toEqual(['PGPASSWORD_FILE=%d/postgres_password']);
  });

  it('is hardened exactly like the API', () => {
    expect(hardening(api).length).toBeGreaterThan(20);
    expect(hardening(purge)).toEqual(hardening(api));
  });

  it('is started once a day by its timer, which catches up on a run missed while the host was down', () => {
    expect(timer.directives('Unit')).toEqual([]); // so it starts the service of the same name
    expect(timer.directives('OnCalendar')).toEqual(['*-*-* 03:30:00']);
    expect(timer.directives('Persistent')).toEqual(['true']);
    expect(timer.directives('WantedBy')).toEqual(['timers.target']);
    expect(purge.directives('WantedBy')).toEqual([]);
  });
});

describe.skipIf(!systemdAnalyze)(systemdAnalyze ? 'systemd-analyze' : 'systemd-analyze not installed: unit checks skipped', () => {
  let root: string;
  beforeAll(() => {
    // A root as the units expect it: systemd's own units, ours, and the release's scripts at their ExecStart.
    root = mkdtempSync(path.join(tmpdir(), 'clm-systemd-'));
    cpSync(SYSTEM_UNITS, path.join(root, SYSTEM_UNITS), { recursive: true, verbatimSymlinks: true });
    mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    for (const unit of UNITS) copyFileSync(path.join(repoRoot, 'deploy/systemd', unit), path.join(root, 'etc/systemd/system', unit));
    for (const [script, installed] of [
      ['clm-entrypoint', api.execStart()[0]!],
      ['clm', purge.execStart()[0]!],
    ] as const) {
      const target = path.join(root, installed);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(repoRoot, 'deploy/image', script), target);
      chmodSync(target, 0o755);
    }
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it.each(UNITS)('%s passes systemd-analyze verify without a warning', (unit) => {
    const result = spawnSync('systemd-analyze', ['verify', `--root=${root}`, unit], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([API, PURGE])('%s has a low exposure in systemd-analyze security (at most 2.0 of 10)', (unit) => {
    const result = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', `--root=${root}`, unit], { encoding: 'utf8' });
    const level = new RegExp(`Overall exposure level for ${unit.replaceAll('.', '\\.')}: (\\d+\\.\\d)`).exec(result.stdout)?.[1];
    expect(Number(level), result.stdout).toBeLessThanOrEqual(2);
    expect(result.status).toBe(0);
  });
});
