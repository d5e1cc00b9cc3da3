import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OutboundQueueResponse } from '../../shared/contract/reports';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import { strictDeep } from '../http/strict-schema';
import { outboundQueue } from './outbound-queue';

export function outboundRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/outbound/queue',
      {
        onRequest: requireRoles(tokens, ['agent']),
        schema: { tags: ['outbound'], querystring: strictDeep(z.object({})), response: { 200: OutboundQueueResponse, ...errorResponses } },
      },
      (request) => outboundQueue(db, authOf(request).user.id),
    );
  };
}
