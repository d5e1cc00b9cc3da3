import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CardViewAuditAccepted, CardViewAuditBatch, CardViewAuditList, CardViewAuditQuery } from '../../shared/contract/reports';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { listCardViews, refusalOf, storeCardViews } from './card-view-audit';

export function auditRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/audit/card-views',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: {
          tags: ['audit'],
          operationId: 'postCardViews',
          summary: 'Record customer card views',
          description: "Records who opened which customer's card, when and why. Idempotent by viewId; the caller may only record their own views.",
          body: documentedBody(strictDeep(CardViewAuditBatch), 'Card views recorded on one desk.', examples.cardViewAuditBatch),
          response: {
            200: documentedResponse(CardViewAuditAccepted, 'How many views were new and how many already stored.', examples.cardViewAuditAccepted),
            ...errorResponses,
            ...bodyErrorResponses,
          },
        },
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
        schema: {
          tags: ['audit'],
          operationId: 'listCardViews',
          summary: 'List customer card views',
          description: 'Stored card views, optionally of one customer, in order after the cursor `after`; continue with `after=nextCursor`.',
          querystring: strictDeep(CardViewAuditQuery),
          response: {
            200: documentedResponse(CardViewAuditList, 'A page of card views.', examples.cardViewAuditList),
            ...errorResponses,
          },
        },
      },
      (request) => listCardViews(db, request.query),
    );
  };
}
