// What the clm-api image runs, run here without a container runtime: ENTRYPOINT + CMD exactly as
// deploy/Dockerfile writes them, over the bundle its build stage makes, with secrets from files as
// compose mounts them, against real PostgreSQL. Also the image's HEALTHCHECK script, `clm`, and the
// compose file's retention purge job.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createScratchDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/scratch-postgres';
import { postCall } from '../server/support/cti-client';
import { SERVER_TSCONFIG } from '../../deploy/server-bundle';
import { contextCopies, readDockerfile, repoRoot } from './support/dockerfile';
import { assembleImageLayout, type ImageLayout } from './support/image-layout';
import { freePort, run, start, type Started } from './support/processes';

const TOKEN_SECRET = 'k3V9'.repeat(12);
const CTI_KEY = 'cti-key-of-the-switch-0123456789';
const ADMIN_PASSWORD = 'Night-Shift-2027!';

let layout: ImageLayout;
let secretsDir: string;
beforeAll(async () => {
  layout = await assembleImageLayout();
  secretsDir = mkdtempSync(path.join(tmpdir(), 'clm-secrets-'));
});
afterAll(() => {
  layout?.remove();
  if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
});

function secretFile(name: string, value: string): string {
  const file = path.join(secretsDir, name);
  writeFileSync(file, `${value}\n`, { mode: 0o600 }); // with the newline `echo … > file` leaves
  return file;
}

const inImage = (env: Record<string, string>) => ({ ...layout.env, HOME: secretsDir, ...env });

describe('the bundle the image runs', () => {
  it('imports only production dependencies at run time (the runtime stage has no dev dependencies)', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(layout.runtimePackages).toContain('fastify');
    expect(layout.runtimePackages.filter((name) => !(name in manifest.dependencies))).toEqual([]);
    // Nothing native: the runtime-deps stage installs with --ignore-scripts and builds no better-sqlite3.
    expect(layout.runtimePackages).not.toContain('better-sqlite3');
  });

  it('needs no install script at run time: every package it loads, directly or not, is installed by npm ci --omit=dev --ignore-scripts', () => {
    type LockEntry = { dev?: boolean; hasInstallScript?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    // Node's lookup: the package's own node_modules first, then each enclosing one, up to the top.
    const resolve = (from: string, name: string): string | undefined => {
      for (let dir = from; ; dir = dir.lastIndexOf('/node_modules/') < 0 ? '' : dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
        const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
        if (lock.packages[candidate]) return candidate;
        if (dir === '') return undefined;
      }
    };
    const loaded = new Set<string>();
    for (const queue = layout.runtimePackages.map((name) => resolve('', name)); queue.length > 0;) {
      const location = queue.pop();
      if (location === undefined || loaded.has(location)) continue;
      loaded.add(location);
      const entry = lock.packages[location]!;
      queue.push(...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }).map((name) => resolve(location, name)));
    }
    expect(loaded.size).toBeGreaterThan(layout.runtimePackages.length);
    expect([...loaded].filter((location) => lock.packages[location]!.dev)).toEqual([]);
    expect([...loaded].filter((location) => lock.packages[location]!.hasInstallScript)).toEqual([]);
  });

  it('is built from files the Dockerfile’s build stage copies (the image build sees nothing else)', () => {
    const build = readDockerfile().stages.find((stage) => stage.name === 'build')!;
    const copied = contextCopies(build).map((copy) => copy.source.replace(/\/$/, ''));
    expect(layout.sourceFolders).toEqual(['server', 'shared']);
    for (const needed of [...layout.sourceFolders, SERVER_TSCONFIG, 'tsconfig.base.json', 'deploy/server-bundle.ts', 'deploy/build-server.ts'])
      expect(copied, needed).toContain(needed);
  });

  it('runs the shipped offer catalogue from beside the bundle', async () => {
    const result = await run([path.join(layout.binDir, 'clm'), 'catalog', 'check'], { cwd: layout.appDir, env: inImage({}) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(path.join(layout.appDir, 'server', 'offers'));
  });
});

describe('the entry point refuses production without its secrets', () => {
  it.each([
    ['no secrets at all', {}, /needs DATABASE_URL CLM_TOKEN_SECRET CLM_CTI_KEY/],
    ['no CTI key (the published demo key would be accepted)', { DATABASE_URL: 'postgres://x@db/clm', CLM_TOKEN_SECRET: TOKEN_SECRET }, /needs CLM_CTI_KEY/],
    [
      'a short token secret',
      { DATABASE_URL: 'postgres://x@db/clm', CLM_TOKEN_SECRET: 'secret', CLM_CTI_KEY: CTI_KEY },
      /CLM_TOKEN_SECRET has 6 characters; use at least 32/,
    ],
    ['a secret set twice', { CLM_TOKEN_SECRET: TOKEN_SECRET, CLM_TOKEN_SECRET_FILE: '/run/secrets/x' }, /both CLM_TOKEN_SECRET and CLM_TOKEN_SECRET_FILE/],
    ['an unreadable secret file', { CLM_CTI_KEY_FILE: '/nonexistent/cti' }, /CLM_CTI_KEY_FILE=\/nonexistent\/cti cannot be read/],
  ])('%s', async (_case, env, message) => {
    const result = await run(layout.command, { cwd: layout.appDir, env: inImage(env) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toContain('listening');
  });
});

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'ENTRYPOINT + CMD against PostgreSQL, secrets from files' : POSTGRES_SKIP_REASON, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let api: Started;
  let baseUrl: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    scratch = await createScratchDatabase(TEST_DATABASE_URL!);
    // The password travels as PGPASSWORD_FILE, the way compose mounts it; the URL carries none.
    const url = new URL(scratch.url);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = inImage({
      CLM_API_PORT: String(port),
      DATABASE_URL: url.toString(),
      PGPASSWORD_FILE: secretFile('postgres_password', password),
      CLM_TOKEN_SECRET_FILE: secretFile('clm_token_secret', TOKEN_SECRET),
      CLM_CTI_KEY_FILE: secretFile('clm_cti_key', CTI_KEY),
    });
    // Ready once it has said all it says on an empty database: where it listens, then the first-administrator hint.
    api = await start(layout.command, { cwd: layout.appDir, env, ready: /listening on[^]*users create[^\n]*\n/ });
  });
  afterAll(async () => {
    await api?.stop();
    await scratch?.drop();
  });

  it('starts in production mode on PostgreSQL and says how to create the first administrator', () => {
    expect(api.output()).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+ \(postgres, 0 customers, production mode\)/);
    expect(api.output()).toContain('clm -- users create --username admin --role admin');
    expect(api.output()).not.toContain('CLM_TOKEN_SECRET is not set');
  });

  it('answers /health/ready and the image HEALTHCHECK script passes', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, database: 'ok' });
    expect((await run([path.join(layout.binDir, 'clm-healthcheck')], { env })).code).toBe(0);
  });

  it('creates the first administrator with `clm users create`, who can then log in', async () => {
    const created = await run(
      [path.join(layout.binDir, 'clm'), 'users', 'create', '--username', 'admin', '--role', 'admin', '--display-name', '管理员', '--password-stdin'],
      { cwd: layout.appDir, env, input: `${ADMIN_PASSWORD}\n` },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const login = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
  });

  it('takes the CTI key from its secret file and refuses the demo key', async () => {
    const event = { callId: 'deploy-call-1', ani: '13800000000', agentId: 'admin', event: 'offered' as const };
    expect((await postCall(baseUrl, CTI_KEY, event)).status).toBe(202);
    expect((await postCall(baseUrl, 'demo-cti-key', event)).status).toBe(401);
  });

  it('runs the compose file’s privacy-purge job through the entry point, with the database secret alone', async () => {
    const compose = parse(readFileSync(path.join(repoRoot, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { command: string[]; environment: Record<string, string> }>;
    };
    const job = compose.services['privacy-purge']!;
    // As compose passes them with nothing set on the host: the windows empty, so the defaults apply.
    const windows = Object.fromEntries(
      Object.keys(job.environment)
        .filter((name) => name.startsWith('CLM_RETENTION_'))
        .map((name) => [name, '']),
    );
    const result = await run([layout.command[0]!, ...job.command], {
      cwd: layout.appDir,
      env: inImage({ ...windows, DATABASE_URL: env.DATABASE_URL!, PGPASSWORD_FILE: env.PGPASSWORD_FILE! }),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { dryRun: boolean; counts: { target: string; retentionDays: number }[] };
    expect(printed.dryRun).toBe(false);
    expect(printed.counts.map((count) => [count.target, count.retentionDays])).toEqual([
      ['cti_calls', 180],
      ['card_view_audit', 365],
      ['outcomes.note', 180],
      ['customer_events', 365],
    ]);
  });

  it('stops cleanly on SIGTERM (docker stop), after which the HEALTHCHECK fails', async () => {
    expect(await api.stop('SIGTERM')).toBe(0);
    expect(api.output()).toContain('SIGTERM received, shutting down');
    expect((await run([path.join(layout.binDir, 'clm-healthcheck')], { env })).code).toBe(1);
  });
});
