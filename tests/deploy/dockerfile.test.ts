// deploy/Dockerfile and .dockerignore read as data (there is no Docker daemon on the build
// machines, so the image is not built here): stages, what reaches the runtime stage, its user,
// health check and command, and that the build context holds what the COPY lines need and no more.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextCopies, execForm, instructionsOf, parseDockerfile, readDockerfile, repoRoot, type Stage } from './support/dockerfile';

const dockerfile = readDockerfile();
const stageNamed = (name: string) => {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return stage;
};
const runtime = dockerfile.stages.at(-1)!;
const runs = (stage: Stage) => instructionsOf(stage, 'RUN').map((line) => line.args);

describe('deploy/Dockerfile', () => {
  it('builds in named stages on one base image (node_modules moves between them, so the Node ABI must match)', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(['build', 'runtime-deps', 'runtime']);
    expect(new Set(dockerfile.stages.map((stage) => stage.image))).toEqual(new Set(['${NODE_IMAGE}']));
    expect(dockerfile.globalArgs.NODE_IMAGE).toMatch(/^node:20-/);
  });

  it('installs dev dependencies only in the build stage, and production packages only for the runtime', () => {
    expect(runs(stageNamed('build'))).toContain('npm ci --ignore-scripts --no-audit --no-fund');
    expect(runs(stageNamed('runtime-deps')).join('\n')).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(runs(runtime).join('\n')).not.toMatch(/npm (ci|install)/);
    const fromStages = instructionsOf(runtime, 'COPY').map((copy) => [copy.flags.from, copy.args]);
    expect(fromStages.filter(([from]) => from !== undefined)).toEqual([
      ['runtime-deps', '/app/node_modules ./node_modules'],
      ['build', '/out/server ./server'],
    ]);
  });

  it('runs as a dedicated unprivileged user that owns none of the application files', () => {
    const users = instructionsOf(runtime, 'USER').map((line) => line.args);
    expect(users).toEqual(['clm']);
    expect(runs(runtime).join('\n')).toMatch(/useradd --system --uid 10001 --gid clm .*--shell \/usr\/sbin\/nologin clm/);
    // USER comes after every COPY, and no COPY hands files to the user (--chown): the app cannot rewrite itself.
    const keywords = runtime.instructions.map((line) => line.keyword);
    expect(keywords.lastIndexOf('COPY')).toBeLessThan(keywords.indexOf('USER'));
    expect(instructionsOf(runtime, 'COPY').filter((copy) => copy.flags.chown !== undefined)).toEqual([]);
  });

  it('checks health on /health/ready and starts the API in exec form through the secrets entry point', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck?.flags).toMatchObject({ interval: '10s', timeout: '5s', 'start-period': '60s', retries: '3' });
    expect(healthcheck?.args).toBe('CMD ["/usr/local/bin/clm-healthcheck"]');
    expect(readFileSync(path.join(repoRoot, 'deploy/image/clm-healthcheck'), 'utf8')).toContain('/health/ready');
    expect(execForm(instructionsOf(runtime, 'ENTRYPOINT')[0]!)).toEqual(['/usr/local/bin/clm-entrypoint']);
    expect(execForm(instructionsOf(runtime, 'CMD')[0]!)).toEqual(['node', '--enable-source-maps', 'server/main.mjs', '--host', '0.0.0.0']);
    expect(instructionsOf(runtime, 'EXPOSE').map((line) => line.args)).toEqual(['4310']);
  });

  it('puts the clm command line on the PATH of the image', () => {
    expect(contextCopies(runtime).map((copy) => copy.target)).toContain('/usr/local/bin/clm');
  });
});

describe('the Dockerfile reader', () => {
  it('joins continued lines, skips comments and splits flags', () => {
    const parsed = parseDockerfile('ARG BASE=x\n# note\nFROM ${BASE} AS one\nRUN a \\\n # inside\n b\nCOPY --from=one --chmod=0755 /a /b/\n');
    expect(parsed.globalArgs).toEqual({ BASE: 'x' });
    expect(parsed.stages[0]!.instructions).toEqual([
      { keyword: 'RUN', flags: {}, args: 'a  b' },
      { keyword: 'COPY', flags: { from: 'one', chmod: '0755' }, args: '/a /b/' },
    ]);
  });
  it('refuses a Dockerfile that ends inside a continued line', () => expect(() => parseDockerfile('FROM x\nRUN a \\')).toThrow(/continued line/));
});

// Docker's rule (moby/patternmatcher): a path is excluded when the last pattern matching it or one of its
// parent folders is not negated; `*` and `?` do not cross '/', `**` does.
function dockerGlob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${escaped.replace(/\*\*\/?|\*|\?/g, (token) => (token === '**/' ? '(.*/)?' : token === '**' ? '.*' : token === '*' ? '[^/]*' : '[^/]'))}$`,
  );
}

function excludedByDockerignore(patterns: string[], file: string): boolean {
  const candidates = file.split('/').map((_part, index, parts) => parts.slice(0, index + 1).join('/'));
  let excluded = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/\/$/, '');
    if (candidates.some((candidate) => dockerGlob(pattern).test(candidate))) excluded = !negated;
  }
  return excluded;
}

describe('.dockerignore', () => {
  const patterns = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('lets in every file the Dockerfile copies from the build context', () => {
    const sources = dockerfile.stages.flatMap(contextCopies).map((copy) => copy.source.replace(/\/$/, ''));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(path.join(repoRoot, source)), source).toBe(true);
      expect(excludedByDockerignore(patterns, source), source).toBe(false);
    }
    expect(excludedByDockerignore(patterns, 'server/catalog/offers/care.json')).toBe(false);
  });

  it.each([
    'node_modules/fastify/package.json',
    '.git/config',
    '.data/server/PG_VERSION',
    'deploy/secrets/clm_token_secret',
    'tests/deploy/x.ts',
    'server/desk-cache.sqlite',
  ])('keeps %s out of the build context', (file) => expect(excludedByDockerignore(patterns, file)).toBe(true));
});
