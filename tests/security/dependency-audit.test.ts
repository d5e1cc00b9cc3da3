// .ci/dependency-audit.mjs, the dependency audit .ci/run runs: npm audit of the production dependencies
// against a stand-in registry on localhost (real npm, real lockfile; only the advisory endpoint's answer
// is made up). Where the endpoint cannot be reached (this machine's mirror answers 405; no network)
// it says so in one line and lets CI go on; a finding fails CI unless dependency-audit.md explains it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../deploy/support/dockerfile';
import { freePort, run } from '../deploy/support/processes';

const SCRIPT = path.join(repoRoot, '.ci/dependency-audit.mjs');
const ADVISORY_ENDPOINT = '/-/npm/v1/security/advisories/bulk';
const WS_VERSION = (JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> }).packages[
  'node_modules/ws'
]!.version;
/** A made-up advisory on ws, a production dependency, in the bulk endpoint's format. */
const WS_ADVISORY = {
  ws: [
    {
      id: 1,
      url: 'https://github.com/advisories/GHSA-test-0000-0001',
      title: 'made-up advisory for the test',
      severity: 'high',
      vulnerable_versions: '<999.0.0',
      cwe: [],
      cvss: { score: 7.5, vectorString: null },
    },
  ],
};

/** What the stand-in registry's advisory endpoint answers next. */
let answer: { status: number; body: unknown } = { status: 200, body: {} };
let registry: Server;
let registryUrl: string;
let scratch: string;
beforeAll(async () => {
  registry = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const advisories = request.method === 'POST' && request.url === ADVISORY_ENDPOINT;
      // Packuments are not served: npm then leaves the advisory's range as the endpoint gave it.
      response.writeHead(advisories ? answer.status : 404, { 'content-type': 'application/json' });
      response.end(advisories && answer.status === 200 ? JSON.stringify(answer.body) : '');
    });
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
  scratch = mkdtempSync(path.join(tmpdir(), 'clm-audit-'));
});
afterAll(async () => {
  await new Promise((resolve) => registry?.close(resolve));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const audit = (registryAt: string, args: string[] = []) =>
  run(['node', SCRIPT, ...args], { cwd: repoRoot, env: { ...(process.env as Record<string, string>), npm_config_registry: registryAt } });

/** dependency-audit.md with one explained advisory in its table. */
function docExplaining(id: string): string {
  const file = path.join(scratch, 'dependency-audit.md');
  const real = readFileSync(path.join(repoRoot, 'docs/operations/dependency-audit.md'), 'utf8');
  const header = /\n## Explained findings\n[^]*?\n\|[-| ]+\|\n/.exec(real)![0];
  writeFileSync(file, real.replace(header, `${header}| ${id} | ws@${WS_VERSION} | not reached: test | 2026-12-08 |\n`));
  return file;
}

describe('the dependency audit of .ci/run', () => {
  it('says in one line that it could not run where the advisory endpoint answers 405 (this machine’s mirror), and lets CI go on', async () => {
    answer = { status: 405, body: null };
    const result = await audit(registryUrl);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^dependency audit: could not run here, the registry's advisory endpoint cannot be reached \(405 Method Not Allowed - POST .*\); see docs\/operations\/dependency-audit\.md\n$/,
    );
  });

  it('does the same without a network path to the registry', async () => {
    const result = await audit(`http://127.0.0.1:${await freePort()}/`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^dependency audit: could not run here, .*ECONNREFUSED.*\n$/);
  });

  it('passes when no advisory affects the production dependencies (and reads the real document’s table)', async () => {
    answer = { status: 200, body: {} };
    const result = await audit(registryUrl);
    expect(result.stdout).toBe('dependency audit: no advisory affects the production dependencies\n');
    expect(result.code).toBe(0);
  });

  it('fails on a finding the document does not explain, naming the advisory and the installed version', async () => {
    answer = { status: 200, body: WS_ADVISORY };
    const result = await audit(registryUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('dependency audit: 1 of 1 advisories not explained in docs/operations/dependency-audit.md');
    expect(result.stdout).toContain(`GHSA-test-0000-0001 (high) ws@${WS_VERSION}: made-up advisory for the test`);
  });

  it('passes on a finding whose advisory id is in the table of explained findings', async () => {
    answer = { status: 200, body: WS_ADVISORY };
    const explained = docExplaining('GHSA-test-0000-0001');
    const result = await audit(registryUrl, ['--explained', explained]);
    expect(result.stdout).toBe(`dependency audit: 1 advisories, each explained in ${explained} (GHSA-test-0000-0001)\n`);
    expect(result.code).toBe(0);
    // An id mentioned elsewhere in the document (the manual review) explains nothing.
    expect((await audit(registryUrl, ['--explained', docExplaining('GHSA-othr-0000-0002')])).code).toBe(1);
  });

  it('runs in .ci/run, whose closing line stays `N passed, N failed` and counts a failed audit as one failure more', async () => {
    const ci = readFileSync(path.join(repoRoot, '.ci/run'), 'utf8').trimEnd().split('\n');
    expect(ci).toContain('node .ci/dependency-audit.mjs || audit_status=$?');
    // The closing block, run as .ci/run runs it, after the tests wrote their summary line.
    const closing = ci.slice(ci.findIndex((line) => line.startsWith('closing=')));
    const work = mkdtempSync(path.join(tmpdir(), 'clm-ci-closing-'));
    try {
      writeFileSync(path.join(work, 'npm-test.log'), 'vitest output\n12 passed, 0 failed, 2 skipped\n');
      const script = ['set -euo pipefail', 'status=0', ...closing].join('\n').replaceAll('test-results/npm-test.log', 'npm-test.log');
      const closingLine = async (auditStatus: number) =>
        (await run(['bash', '-c', `audit_status=${auditStatus}\n${script}`], { cwd: work, env: { PATH: process.env.PATH ?? '' } })).stdout
          .trimEnd()
          .split('\n')
          .at(-1);
      expect(await closingLine(0)).toBe('12 passed, 0 failed, 2 skipped');
      expect(await closingLine(1)).toBe('12 passed, 1 failed, 2 skipped');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
