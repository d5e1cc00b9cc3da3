// deploy/compose.yaml read as data (no Docker daemon or compose plugin on the build machines; where
// `docker compose` works, its own `config` check runs too): the services, their health checks and
// start order, secrets only as files, that every setting named is one the API or its image reads, and
// the daily retention purge job.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RETENTION_ENV } from '../../server/privacy/retention-policy';
import { contextCopies, repoRoot } from './support/dockerfile';
import { runtimeStage } from './support/image-layout';

interface Service {
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  restart?: string;
  tmpfs?: string[];
  build?: { context: string; dockerfile: string };
  image: string;
  environment?: Record<string, string>;
  secrets?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  networks?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  networks: { backend: { ipam: { config: { subnet: string }[] } } };
  volumes: Record<string, unknown>;
}

const deployDir = path.join(repoRoot, 'deploy');
const compose = parse(readFileSync(path.join(deployDir, 'compose.yaml'), 'utf8'), { merge: true }) as ComposeFile;
const { postgres, api1, api2, lb, 'privacy-purge': purgeJob } = compose.services as Record<string, Service>;
const entrypoint = readFileSync(path.join(deployDir, 'image/clm-entrypoint'), 'utf8');

/** The names after `for name in` on the entry point's loops: [names read from files, names production needs]. */
function entrypointLists(): [string[], string[]] {
  const lists = [...entrypoint.matchAll(/^\s*for name in ([A-Z_ ]+); do$/gm)].map((match) => match[1]!.trim().split(/\s+/));
  expect(lists).toHaveLength(2);
  return [lists[0]!, lists[1]!];
}

/** Every environment variable the server's code reads (env.NAME or process.env.NAME). */
function variablesTheServerReads(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) for (const match of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1]!);
    }
  };
  walk(path.join(repoRoot, 'server'));
  return names;
}

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL, two API instances and a load balancer, plus the purge job when asked', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api1', 'api2', 'lb', 'postgres', 'privacy-purge']);
    const startedByUp = Object.entries(compose.services).filter(([, service]) => service.profiles === undefined);
    expect(startedByUp.map(([name]) => name).sort()).toEqual(['api1', 'api2', 'lb', 'postgres']);
    expect(api1).toEqual(api2);
    expect(api1!.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(existsSync(path.join(deployDir, api1!.build!.context, api1!.build!.dockerfile))).toBe(true);
  });

  it('starts the instances once PostgreSQL is healthy, and checks them with the image’s /health/ready probe', () => {
    expect(postgres!.healthcheck!.test).toEqual(['CMD-SHELL', 'pg_isready --username=clm --dbname=clm']);
    expect(api1!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(api1!.healthcheck!.test).toEqual(['CMD', '/usr/local/bin/clm-healthcheck']);
    expect(lb!.depends_on).toEqual({ api1: { condition: 'service_started' }, api2: { condition: 'service_started' } });
  });

  it.each([
    ['api1', api1],
    ['privacy-purge', purgeJob],
  ])('gives %s its secrets only as files', (_name, service) => {
    const [fromFiles] = entrypointLists();
    for (const [name, value] of Object.entries(service!.environment!)) {
      if (name.endsWith('_FILE')) {
        expect(fromFiles).toContain(name.slice(0, -'_FILE'.length));
        const secret = /^\/run\/secrets\/(.+)$/.exec(value)?.[1];
        expect(service!.secrets).toContain(secret);
        expect(compose.secrets[secret!]!.file).toBe(`./secrets/${secret}`);
      } else {
        expect(name, 'a secret in plain environment').not.toMatch(/SECRET|KEY|PASSWORD/);
      }
    }
    expect(new URL(service!.environment!.DATABASE_URL!).password).toBe('');
  });

  it('gives the API every secret the entry point needs in production', () => {
    const environment = api1!.environment!;
    const [, required] = entrypointLists();
    for (const name of required) expect(name in environment || `${name}_FILE` in environment, name).toBe(true);
    // PostgreSQL's own password and the API's PGPASSWORD come from the same secret.
    expect(postgres!.environment!.POSTGRES_PASSWORD_FILE).toBe(environment.PGPASSWORD_FILE);
  });

  it('names only settings the API or its image reads (a misspelt variable would be silently ignored)', () => {
    const known = new Set([...variablesTheServerReads(), ...Object.values(RETENTION_ENV), ...entrypointLists()[0], 'PGPASSWORD']);
    for (const service of [api1, purgeJob]) for (const name of Object.keys(service!.environment!)) expect(known, name).toContain(name.replace(/_FILE$/, ''));
  });

  it('believes X-Forwarded-For only from its own backend network', () => {
    expect(api1!.environment!.CLM_TRUST_PROXY).toBe(compose.networks.backend.ipam.config[0]!.subnet);
  });

  it('publishes only the load balancer; the instances run read-only without capabilities', () => {
    expect(lb!.ports).toEqual(['${CLM_PUBLIC_PORT:-4310}:4310']);
    expect(postgres!.ports).toBeUndefined();
    expect(api1!.ports).toBeUndefined();
    expect(api1).toMatchObject({ read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
  });

  it('keeps the database in a named volume and mounts the balancer’s configuration and the backup scripts from deploy/', () => {
    expect(postgres!.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toEqual(['pgdata']);
    expect(lb!.volumes).toEqual(['./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
    // The runbook's backup runs deploy/backup/clm-backup inside the database container.
    expect(postgres!.volumes).toContain('./backup:/opt/clm-backup:ro');
    expect(existsSync(path.join(deployDir, 'backup/clm-backup'))).toBe(true);
  });

  it('runs the daily purge as a one-shot `clm privacy purge --json` in the API image, through its entry point', () => {
    expect(purgeJob!.profiles).toEqual(['jobs']);
    expect(purgeJob!.image).toBe(api1!.image);
    expect(purgeJob!.entrypoint).toBeUndefined();
    expect(purgeJob!.command).toEqual(['clm', 'privacy', 'purge', '--json']);
    expect(contextCopies(runtimeStage())).toContainEqual({ source: 'deploy/image/clm', target: '/usr/local/bin/clm' });
    // Run by the host's scheduler: restarting it or checking its health would be wrong for a job that ends.
    expect(purgeJob!.restart).toBeUndefined();
    expect(purgeJob!.healthcheck).toBeUndefined();
  });

  it('gives the purge job the API’s database, hardening and network, only the database secret, and the retention windows', () => {
    const { environment, secrets, ...jobRest } = purgeJob!;
    for (const key of ['depends_on', 'read_only', 'tmpfs', 'cap_drop', 'security_opt', 'networks'] as const) expect(jobRest[key], key).toEqual(api1![key]);
    expect(secrets).toEqual(['postgres_password']);
    const { DATABASE_URL, PGPASSWORD_FILE, ...windows } = environment!;
    expect({ DATABASE_URL, PGPASSWORD_FILE }).toEqual({ DATABASE_URL: api1!.environment!.DATABASE_URL, PGPASSWORD_FILE: api1!.environment!.PGPASSWORD_FILE });
    // Each window from the host's environment or .env; unset, it is empty and the purge takes its default.
    expect(windows).toEqual(Object.fromEntries(Object.values(RETENTION_ENV).map((name) => [name, `\${${name}:-}`])));
  });

  it('sends the balancer’s traffic to exactly the API services', () => {
    const haproxy = readFileSync(path.join(deployDir, 'haproxy.cfg'), 'utf8');
    const servers = [...haproxy.matchAll(/^\s*server (\S+) (\S+)/gm)].map((match) => [match[1], match[2]]);
    expect(servers).toEqual([
      ['api1', 'api1:4310'],
      ['api2', 'api2:4310'],
    ]);
  });

  it('keeps the secret files out of git and out of the image build context', () => {
    for (const { file } of Object.values(compose.secrets)) {
      const inRepo = path.join('deploy', file);
      expect(spawnSync('git', ['check-ignore', '--no-index', '-q', inRepo], { cwd: repoRoot }).status, inRepo).toBe(0);
    }
    expect(readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')).toMatch(/^deploy\/secrets\/$/m);
  });
});

const composeWorks = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!composeWorks)(composeWorks ? 'docker compose config' : 'docker compose config: skipped, the docker CLI here has no compose plugin', () => {
  it('accepts the file', () => {
    execFileSync('docker', ['compose', '--file', path.join(deployDir, 'compose.yaml'), 'config', '--quiet'], { stdio: 'pipe' });
  });
});
