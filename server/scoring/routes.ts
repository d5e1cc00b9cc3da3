import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { ApiError, ROLES } from '../../shared/contract/central-api';
import { requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { errorResponses } from '../http/error-responses';
import { currentBundleVersion, readScoringBundleJson } from './scoring-bundle-store';

// Fastify sends a 304 without a body whatever is passed; null keeps the schema honest for OpenAPI.
const NotModified = z.null().describe('Not modified: the If-None-Match version is the current one');

const etagOf = (version: number) => `"${version}"`;

/** If-None-Match as sent by caches and by hand: a list of tags, weak or strong, quoted or not, or '*'. */
function alreadyHeld(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
    .some((tag) => tag === '*' || tag === String(version));
}

const NOT_SCORED = apiError('not_scored', 'No scoring bundle yet: the book has not been scored (run `clm score`)');

export function scoringRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/scoring/bundle',
      {
        onRequest: requireRoles(tokens, ROLES),
        schema: { tags: ['scoring'], response: { 200: ScoringBundle, 304: NotModified, 404: ApiError, ...errorResponses } },
      },
      async (request, reply) => {
        const held = await currentBundleVersion(db);
        if (held === null) return reply.code(404).send(NOT_SCORED);
        if (alreadyHeld(request.headers['if-none-match'], held)) return reply.code(304).header('etag', etagOf(held)).send(null);
        const stored = await readScoringBundleJson(db);
        if (stored === null) return reply.code(404).send(NOT_SCORED);
        // Sent as the stored JSON text (validated when published): re-validating a model per request costs tens of ms.
        // The cast only satisfies the schema-typed reply; the schema stays for OpenAPI.
        return reply
          .header('etag', etagOf(stored.version))
          .header('cache-control', 'no-cache')
          .type('application/json')
          .send(stored.json as unknown as ScoringBundle);
      },
    );
  };
}
