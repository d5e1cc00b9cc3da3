import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CardByPhoneParams } from '../../shared/contract/cache-scope';
import { ApiError } from '../../shared/contract/central-api';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { maskPhone } from '../../shared/domain/masking';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { errorResponses } from '../http/error-responses';
import { cardByPhone, ViewIdTakenError } from './card-by-phone';
import { cardByPhoneExample } from './card-example';

const notFound = ApiError.meta({
  description: 'No customer has this number: the desk shows its prospect card.',
  examples: [{ error: 'not_found', message: 'no customer has the number 139****0000' }],
});

const viewIdTaken = ApiError.meta({
  description: 'The viewId is already stored for another agent or customer: each card view has its own id, so the audit stays whole.',
  examples: [{ error: 'view_id_taken', message: 'the viewId 0192f1c4-… is already stored for another card view: send a new viewId for each view' }],
});

export function cardRoutes(db: SqlClient, tokens: TokenService, clock: () => Date): FastifyPluginAsyncZod {
  return async (app) => {
    const route = contractRoute('getCardByPhone', tokens, {
      tags: ['sync'],
      summary: 'The card of a customer outside the desk’s cache scope',
      description:
        'What a desk asks on a cache miss (a screen pop or a look-up of a number its scope does not hold): the customer card built ' +
        'by the same code and with the same masking as a card from the desk cache, and the rows it was built from, for the desk to ' +
        'cache for the rest of the day. The view is stored in the card-view audit (once per viewId), as the desk would have queued it.',
      answer: { description: 'The card and its rows.', example: cardByPhoneExample },
      otherResponses: { ...errorResponses, 404: notFound, 409: viewIdTaken },
    });
    app.route({
      ...route,
      schema: { ...route.schema, params: CardByPhoneParams },
      handler: async (request, reply) => {
        const { phone } = CardByPhoneParams.parse(request.params);
        const answer = await cardByPhone(db, authOf(request).user, phone, request.query, clock()).catch((error: unknown) => {
          if (error instanceof ViewIdTakenError) return error;
          throw error;
        });
        if (answer instanceof ViewIdTakenError) return reply.code(409).send(apiError('view_id_taken', answer.message));
        if (answer === null) return reply.code(404).send(apiError('not_found', `no customer has the number ${maskPhone(phone)}`));
        return answer;
      },
    });
  };
}
