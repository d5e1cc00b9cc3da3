import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { contractRoute } from '../http/contract-route';
import { errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { outboundQueue } from './outbound-queue';

export function outboundRoutes(db: SqlClient, tokens: TokenService, currentBundle: CurrentScoringBundle): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...contractRoute('getOutboundQueue', tokens, {
        tags: ['outbound'],
        summary: "Get the caller's outbound call list",
        description:
          "The agent's due callbacks first, then their share of the team's at-risk customers by value at risk. The operator's contact hours (CLM_CONTACT_HOURS) come with the login answer.",
        answer: { description: 'The call list, best first.', example: examples.outboundQueueResponse },
        otherResponses: errorResponses,
      }),
      handler: (request) => outboundQueue(db, currentBundle, authOf(request).user.id),
    });
  };
}
