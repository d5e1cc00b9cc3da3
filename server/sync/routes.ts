import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROLES, SyncChangesQuery, SyncChangesResponse } from '../../shared/contract/central-api';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import { seesIdNumbers } from '../http/id-number-masking';
import { strictDeep } from '../http/strict-schema';
import { readChangesPageJson } from './changes-page';

export function syncRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/sync/changes',
      {
        onRequest: requireRoles(tokens, ROLES),
        schema: { tags: ['sync'], querystring: strictDeep(SyncChangesQuery), response: { 200: SyncChangesResponse, ...errorResponses } },
      },
      // The body is built as JSON text from the stored documents (see changes-page.ts); the schema stays for OpenAPI.
      // Fastify sends a string body as-is; the cast only satisfies the schema-typed reply.
      async (request, reply) => {
        const idNumbers = seesIdNumbers(authOf(request).user.role) ? 'full' : 'masked';
        const body = await readChangesPageJson(db, request.query.after, request.query.limit, idNumbers);
        return reply.type('application/json').send(body as unknown as SyncChangesResponse);
      },
    );
  };
}
