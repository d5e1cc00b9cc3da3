import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { contractRoute } from '../http/contract-route';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { listOutcomes } from './list-outcomes';
import { scheduleLearning } from './learning';
import { recordOutcomeBatch } from './record-batch';

export function outcomeRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    // What an upload left to learn reaches offer stats and contact histories (and the desks) within seconds, even if no upload follows.
    app.addHook('onClose', scheduleLearning(db, app.log));

    app.route({
      ...contractRoute('postOutcomeBatch', tokens, {
        tags: ['outcomes'],
        summary: 'Upload a batch of call outcomes',
        description:
          "Stores the caller's outcomes from one desk. Idempotent: an outcome already stored (same outcomeId) is a `duplicate`, " +
          'so a batch can be resent after a lost answer. Items are judged one by one; `lastAppliedClientSeq` says how far the device is applied.',
        body: { description: "Outcomes recorded on one desk (the caller's own).", example: examples.outcomeBatchRequest },
        answer: { description: 'One result per item: accepted, duplicate or rejected with a code.', example: examples.outcomeBatchResponse },
        otherResponses: { ...errorResponses, ...bodyErrorResponses },
      }),
      handler: (request) => recordOutcomeBatch(db, request.body, authOf(request).user.id),
    });

    app.route({
      ...contractRoute('listOutcomes', tokens, {
        tags: ['outcomes'],
        summary: 'List stored outcomes',
        description: 'Outcomes as the server stored them, in server order after the cursor `after`; continue with `after=nextCursor`.',
        answer: { description: 'A page of stored outcomes.', example: examples.outcomeListResponse },
        otherResponses: errorResponses,
      }),
      handler: (request) => listOutcomes(db, request.query.after, request.query.limit),
    });
  };
}
