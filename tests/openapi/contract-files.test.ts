// The OpenAPI document is one an integrator's tools accept: swagger-parser validates it, Redocly's
// recommended rules find nothing (redocly.yaml switches rules off only with a reason), every
// operation says what it does, how it fails and what it looks like, and the committed document and
// client types are the ones the server serves now (`npm run openapi:client` rewrites them).
import SwaggerParser from '@apidevtools/swagger-parser';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, TYPES_FILE, documentFileText, liveOpenApiDocument, typesFileText } from '../../clients/central-api/generate';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REGENERATE = 'stale: run `npm run openapi:client` (npx tsx clients/central-api/generate.ts) and commit clients/central-api';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; schema?: { example?: unknown } }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface MediaType {
  example?: unknown;
  examples?: Record<string, unknown>;
}

let document: Record<string, unknown>;
beforeAll(async () => {
  document = await liveOpenApiDocument();
});

function operations(): [string, Operation][] {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
  );
}

const hasExample = (media: Record<string, MediaType> | undefined) =>
  Object.values(media ?? {}).some((m) => m.example !== undefined || Object.keys(m.examples ?? {}).length > 0);

describe('the OpenAPI document served at /openapi.json', () => {
  it('validates with swagger-parser (every $ref resolves, the schema of OpenAPI 3.0 holds)', async () => {
    // validate() dereferences in place: hand it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('gives every operation an id, a summary, a declared tag, its error responses and an example', () => {
    const declaredTags = new Set((document.tags as { name: string }[]).map((t) => t.name));
    const problems = operations().flatMap(([name, op]) => {
      const found: string[] = [];
      if (!op.operationId) found.push('no operationId');
      if (!op.summary) found.push('no summary');
      if (!op.tags?.length || !op.tags.every((t) => declaredTags.has(t))) found.push(`tags ${JSON.stringify(op.tags)} not declared`);
      const statuses = Object.keys(op.responses);
      // A query or path the server validates can be refused; an optional header such as If-None-Match cannot.
      const takesInput = op.requestBody !== undefined || (op.parameters ?? []).some((p) => p.in !== 'header');
      if (takesInput && !statuses.includes('400')) found.push('takes input but documents no 400');
      const needsToken = op.security === undefined; // the document-wide bearer token applies
      if (needsToken && !statuses.includes('401')) found.push('needs a token but documents no 401');
      if (op.requestBody !== undefined && !hasExample(op.requestBody.content)) found.push('no request body example');
      const success = Object.entries(op.responses).filter(([status, r]) => status.startsWith('2') && r.content !== undefined);
      const exampled = Object.values(op.responses).some((r) => hasExample(r.content)) || op.parameters?.some((p) => p.schema?.example !== undefined);
      if (!exampled) found.push('no example at all');
      // The scoring bundle is a trained model: its 200 is described, not exemplified (see its route).
      if (name !== 'GET /scoring/bundle' && success.some(([, r]) => !hasExample(r.content))) found.push('no example of its success response');
      return found.map((p) => `${name}: ${p}`);
    });
    expect(problems).toEqual([]);
  });

  it('is what clients/central-api/openapi.json holds', async () => {
    expect(await readFile(DOCUMENT_FILE, 'utf8'), REGENERATE).toBe(documentFileText(document));
  });

  it('generates the client types committed in clients/central-api/schema.d.ts', async () => {
    expect(await readFile(TYPES_FILE, 'utf8'), REGENERATE).toBe(await typesFileText(document));
  });

  it("lints clean with Redocly's recommended rules and the repository's redocly.yaml", async () => {
    // Exit code 1 on errors: read the JSON report either way. Telemetry and update checks stay off (no traffic).
    const run = promisify(execFile);
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const { stdout } = await run('npx', ['redocly', 'lint', '--format=json'], { cwd: REPO_ROOT, env }).catch((failure: { stdout?: string }) => ({
      stdout: failure.stdout ?? '',
    }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const findings = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(findings).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
