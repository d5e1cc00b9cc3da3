import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CustomerEventBatchRequest, CustomerEventBatchResponse } from '../../shared/contract/customer-events';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { documentedBody, documentedResponse } from '../http/openapi-document';
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
        schema: {
          tags: ['customer-events'],
          operationId: 'postCustomerEventBatch',
          summary: 'Upload a batch of customer events',
          description:
            'Stores complaints and network issues logged on one desk and re-scores each customer before answering. Idempotent by eventId. ' +
            '`appliedAtSeq` is the change-feed seq that carries the event; item rejections: device_mismatch, agent_mismatch, unknown_customer.',
          body: documentedBody(strictDeep(CustomerEventBatchRequest), "Events recorded on one desk (the caller's own).", examples.customerEventBatchRequest),
          response: {
            200: documentedResponse(CustomerEventBatchResponse, 'One result per item.', examples.customerEventBatchResponse),
            ...errorResponses,
            ...bodyErrorResponses,
          },
        },
      },
      (request) => recordCustomerEvents(db, request.body, authOf(request).user.id, currentBundle),
    );
  };
}
