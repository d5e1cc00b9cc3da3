import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  OutcomeBatchRequest,
  OutcomeBatchResponse,
  OutcomeListQuery,
  OutcomeListResponse,
} from '../../shared/contract/central-api';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import { strictDeep } from '../http/strict-schema';
import { listOutcomes } from './list-outcomes';
import { recordOutcomeBatch } from './record-batch';

export function outcomeRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/outcomes/batch',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: { tags: ['outcomes'], body: strictDeep(OutcomeBatchRequest), response: { 200: OutcomeBatchResponse, ...errorResponses } },
      },
      (request) => recordOutcomeBatch(db, request.body, authOf(request).user.id),
    );

    app.get(
      '/outcomes',
      {
        onRequest: requireRoles(tokens, ['supervisor', 'admin']),
        schema: { tags: ['outcomes'], querystring: strictDeep(OutcomeListQuery), response: { 200: OutcomeListResponse, ...errorResponses } },
      },
      (request) => listOutcomes(db, request.query.after, request.query.limit),
    );
  };
}
