import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { ApiError } from '../../shared/contract/central-api';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { internalError, unauthorized } from '../http/error-responses';
import { documentedResponse, emptyResponse } from '../http/openapi-document';
import { currentBundleVersion, readScoringBundleJson } from './scoring-bundle-store';

const NotModified = emptyResponse('Not modified: the If-None-Match version is the current one.');

const etagOf = (version: number) => `"${version}"`;

/** If-None-Match as sent by caches and by hand: a list of tags, weak or strong, quoted or not, or '*'. */
function alreadyHeld(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((tag) => tag === '*' || tag === String(version));
}

const NOT_SCORED = apiError('not_scored', 'No scoring bundle yet: the book has not been scored (run `clm score`)');

export function scoringRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...contractRoute('getScoringBundle', tokens, {
        tags: ['scoring'],
        summary: 'Get the current scoring bundle',
        description:
          'The trained churn model with the lifecycle and value settings desks score customers with, published by every batch scoring run. ' +
          'Answered with `ETag: "<version>"`; send it back in If-None-Match to get 304 while it is current. A version names one content for good. ' +
          'The bundle is tens of kilobytes of model, so this document shows no example of it.',
        answer: { description: 'The bundle; the ETag header carries its version.' },
        otherResponses: {
          304: NotModified,
          404: documentedResponse(ApiError, 'The book has not been scored yet.', NOT_SCORED),
          401: unauthorized,
          500: internalError,
        },
      }),
      handler: async (request, reply) => {
        const held = await currentBundleVersion(db);
        if (held === null) return reply.code(404).send(NOT_SCORED);
        if (alreadyHeld(request.headers['if-none-match'], held)) return reply.code(304).header('etag', etagOf(held)).send(undefined);
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
    });
  };
}
