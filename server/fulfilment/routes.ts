import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FulfilmentOrderList, FulfilmentOrderQuery } from '../../shared/contract/fulfilment';
import { requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { listFulfilmentOrders } from './list-orders';

export function fulfilmentRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/fulfilment/orders',
      {
        onRequest: requireRoles(tokens, ['admin']),
        schema: {
          tags: ['fulfilment'],
          operationId: 'listFulfilmentOrders',
          summary: 'List fulfilment orders',
          description: 'Orders created from accepted offers, in order after the cursor `after`; continue with `after=nextCursor`.',
          querystring: strictDeep(FulfilmentOrderQuery),
          response: {
            200: documentedResponse(FulfilmentOrderList, 'A page of orders.', examples.fulfilmentOrderList),
            ...errorResponses,
          },
        },
      },
      (request) => listFulfilmentOrders(db, request.query.after, request.query.limit),
    );
  };
}
