import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CardByCustomerParams, CardByPhoneParams, type CardByPhoneQuery } from '../../shared/contract/cache-scope';
import { ApiError, type User } from '../../shared/contract/central-api';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { maskPhone } from '../../shared/domain/masking';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { errorResponses } from '../http/error-responses';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { cardFromBook, ViewIdTakenError, type CustomerKey } from './book-card';
import { serverCardExample } from './card-example';

const viewIdTaken = ApiError.meta({
  description: 'The viewId is already stored for another agent or customer: each card view has its own id, so the audit stays whole.',
  examples: [{ error: 'view_id_taken', message: 'the viewId 0192f1c4-… is already stored for another card view: send a new viewId for each view' }],
});

const CARD_ANSWER = { description: 'The card and its rows.', example: serverCardExample };
const CACHE_THE_ROWS =
  'the customer card built by the same code and with the same masking as a card from the desk cache, and the rows it was built from, ' +
  'for the desk to cache for the rest of the day. The view is stored in the card-view audit (once per viewId), as the desk would have queued it.';

export function cardRoutes(db: SqlClient, tokens: TokenService, currentBundle: CurrentScoringBundle, clock: () => Date): FastifyPluginAsyncZod {
  /** Answers the card of the customer `key` names, 404 (`notFound`) when there is none, 409 when the viewId is another view's. */
  async function answerCard(reply: FastifyReply, caller: User, key: CustomerKey, query: CardByPhoneQuery, notFound: string) {
    const answer = await cardFromBook(db, currentBundle, caller, key, query, clock()).catch((error: unknown) => {
      if (error instanceof ViewIdTakenError) return error;
      throw error;
    });
    if (answer instanceof ViewIdTakenError) return reply.code(409).send(apiError('view_id_taken', answer.message));
    if (answer === null) return reply.code(404).send(apiError('not_found', notFound));
    return answer;
  }

  return async (app) => {
    const byPhone = contractRoute('getCardByPhone', tokens, {
      tags: ['sync'],
      summary: 'The card of a customer outside the desk’s cache scope',
      description: `What a desk asks on a cache miss (a screen pop or a look-up of a number its scope does not hold): ${CACHE_THE_ROWS}`,
      answer: CARD_ANSWER,
      otherResponses: {
        ...errorResponses,
        404: ApiError.meta({
          description: 'No customer has this number: the desk shows its prospect card.',
          examples: [{ error: 'not_found', message: 'no customer has the number 139****0000' }],
        }),
        409: viewIdTaken,
      },
    });
    app.route({
      ...byPhone,
      schema: { ...byPhone.schema, params: CardByPhoneParams },
      handler: async (request, reply) => {
        const { phone } = CardByPhoneParams.parse(request.params);
        return answerCard(reply, authOf(request).user, { by: 'phone', phone }, request.query, `no customer has the number ${maskPhone(phone)}`);
      },
    });

    const byCustomer = contractRoute('getCardByCustomer', tokens, {
      tags: ['sync'],
      summary: 'The card of a customer opened by id outside the desk’s cache scope',
      description:
        'What a desk asks when it opens a card by customer id (a counter search, an outbound queue entry) and its cache does not hold ' +
        `that customer: ${CACHE_THE_ROWS}`,
      answer: CARD_ANSWER,
      otherResponses: {
        ...errorResponses,
        404: ApiError.meta({
          description: 'No customer of the book has this id (or they were erased): the desk says so.',
          examples: [{ error: 'not_found', message: 'no customer has the id CUS9999999' }],
        }),
        409: viewIdTaken,
      },
    });
    app.route({
      ...byCustomer,
      schema: { ...byCustomer.schema, params: CardByCustomerParams },
      handler: async (request, reply) => {
        const { customerId } = CardByCustomerParams.parse(request.params);
        return answerCard(reply, authOf(request).user, { by: 'customer', customerId }, request.query, `no customer has the id ${customerId}`);
      },
    });
  };
}
