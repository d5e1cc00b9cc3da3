import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CustomerEventBatchRequest, CustomerEventBatchResponse } from '../../shared/contract/customer-events';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import { strictDeep } from '../http/strict-schema';
import { createScoringBundleCache } from '../scoring/scoring-bundle-store';
import { recordCustomerEvents } from './record-customer-events';

export function customerEventRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    const currentBundle = createScoringBundleCache();
    app.post(
      '/customer-events/batch',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: { tags: ['customer-events'], body: strictDeep(CustomerEventBatchRequest), response: { 200: CustomerEventBatchResponse, ...errorResponses } },
      },
      (request) => recordCustomerEvents(db, request.body, authOf(request).user.id, currentBundle),
    );
  };
}
