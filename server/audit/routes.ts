import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CardViewAuditAccepted, CardViewAuditBatch, CardViewAuditList, CardViewAuditQuery } from '../../shared/contract/reports';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { errorResponses } from '../http/error-responses';
import { strictDeep } from '../http/strict-schema';
import { listCardViews, refusalOf, storeCardViews } from './card-view-audit';

export function auditRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/audit/card-views',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: { tags: ['audit'], body: strictDeep(CardViewAuditBatch), response: { 200: CardViewAuditAccepted, ...errorResponses } },
      },
      async (request, reply) => {
        const refusal = refusalOf(request.body, authOf(request).user);
        if (refusal !== null) return reply.code(refusal.status).send(apiError(refusal.error, refusal.message));
        return storeCardViews(db, request.body);
      },
    );

    app.get(
      '/audit/card-views',
      {
        onRequest: requireRoles(tokens, ['supervisor', 'admin']),
        schema: { tags: ['audit'], querystring: strictDeep(CardViewAuditQuery), response: { 200: CardViewAuditList, ...errorResponses } },
      },
      (request) => listCardViews(db, request.query),
    );
  };
}
