import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OutcomeBatchRequest, OutcomeBatchResponse, OutcomeListQuery, OutcomeListResponse } from '../../shared/contract/central-api';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { listOutcomes } from './list-outcomes';
import { recordOutcomeBatch } from './record-batch';

export function outcomeRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/outcomes/batch',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: {
          tags: ['outcomes'],
          operationId: 'postOutcomeBatch',
          summary: 'Upload a batch of call outcomes',
          description:
            "Stores the caller's outcomes from one desk. Idempotent: an outcome already stored (same outcomeId) is a `duplicate`, " +
            'so a batch can be resent after a lost answer. Items are judged one by one; `lastAppliedClientSeq` says how far the device is applied.',
          body: documentedBody(strictDeep(OutcomeBatchRequest), "Outcomes recorded on one desk (the caller's own).", examples.outcomeBatchRequest),
          response: {
            200: documentedResponse(OutcomeBatchResponse, 'One result per item: accepted, duplicate or rejected with a code.', examples.outcomeBatchResponse),
            ...errorResponses,
            ...bodyErrorResponses,
          },
        },
      },
      (request) => recordOutcomeBatch(db, request.body, authOf(request).user.id),
    );

    app.get(
      '/outcomes',
      {
        onRequest: requireRoles(tokens, ['supervisor', 'admin']),
        schema: {
          tags: ['outcomes'],
          operationId: 'listOutcomes',
          summary: 'List stored outcomes',
          description: 'Outcomes as the server stored them, in server order after the cursor `after`; continue with `after=nextCursor`.',
          querystring: strictDeep(OutcomeListQuery),
          response: {
            200: documentedResponse(OutcomeListResponse, 'A page of stored outcomes.', examples.outcomeListResponse),
            ...errorResponses,
          },
        },
      },
      (request) => listOutcomes(db, request.query.after, request.query.limit),
    );
  };
}
