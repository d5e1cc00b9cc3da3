import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FulfilmentOrderList, FulfilmentOrderQuery } from '../../shared/contract/reports';
import { requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import { strictDeep } from '../http/strict-schema';
import { listFulfilmentOrders } from './list-orders';

export function fulfilmentRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/fulfilment/orders',
      {
        onRequest: requireRoles(tokens, ['admin']),
        schema: { tags: ['fulfilment'], querystring: strictDeep(FulfilmentOrderQuery), response: { 200: FulfilmentOrderList, ...errorResponses } },
      },
      (request) => listFulfilmentOrders(db, request.query.after, request.query.limit),
    );
  };
}
