import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { contractRoute } from '../http/contract-route';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { recordCustomerEvents } from './record-customer-events';

export function customerEventRoutes(db: SqlClient, tokens: TokenService, currentBundle: CurrentScoringBundle): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...contractRoute('postCustomerEventBatch', tokens, {
        tags: ['customer-events'],
        summary: 'Upload a batch of customer events',
        description:
          'Stores complaints and network issues logged on one desk and re-scores each customer before answering. Idempotent by eventId. ' +
          '`appliedAtSeq` is the change-feed seq that carries the event; item rejections: device_mismatch, agent_mismatch, unknown_customer.',
        body: { description: "Events recorded on one desk (the caller's own).", example: examples.customerEventBatchRequest },
        answer: { description: 'One result per item.', example: examples.customerEventBatchResponse },
        otherResponses: { ...errorResponses, ...bodyErrorResponses },
      }),
      handler: (request) => recordCustomerEvents(db, request.body, authOf(request).user.id, currentBundle),
    });
  };
}
