import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OutboundQueueResponse } from '../../shared/contract/reports';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { outboundQueue } from './outbound-queue';
import type { ContactHours } from '../../shared/domain/contact-hours';

export function outboundRoutes(db: SqlClient, tokens: TokenService, contactHours: ContactHours): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/outbound/queue',
      {
        onRequest: requireRoles(tokens, ['agent']),
        schema: {
          tags: ['outbound'],
          operationId: 'getOutboundQueue',
          summary: "Get the caller's outbound call list",
          description:
            "The agent's due callbacks first, then their share of the team's at-risk customers by value at risk, with the operator's contact hours (CLM_CONTACT_HOURS).",
          querystring: strictDeep(z.object({})),
          response: {
            200: documentedResponse(OutboundQueueResponse, 'The call list, best first.', examples.outboundQueueResponse),
            ...errorResponses,
          },
        },
      },
      (request) => outboundQueue(db, authOf(request).user.id, contactHours),
    );
  };
}
