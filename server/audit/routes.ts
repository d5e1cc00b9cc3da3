import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authOf } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { listCardViews, refusalOf, storeCardViews } from './card-view-audit';
import { listDiscards, storeDiscards } from './interaction-discards';
import type { InteractionDiscard } from '../../shared/contract/interaction-audit';

const exampleDiscard: InteractionDiscard = {
  discardId: '019af3b2-7c41-7abc-8123-4f5e6d7c8b9a',
  interactionId: 'cti-20261207-0915-0042',
  agentId: 'agent01',
  customerId: 'CUS0000042',
  callId: 'cti-20261207-0915-0042',
  phoneMasked: '138****5678',
  state: 'wrap_up',
  openedAt: '2026-12-07T01:15:02.000Z',
  reason: '客户挂断,未谈及方案 / the caller hung up before any offer',
  draft: { result: null, note: '', callbackAt: '', declineReason: null, notPresentedReason: null, chosenOfferId: null },
  discardedAt: '2026-12-07T01:19:40.000Z',
};

export function auditRoutes(db: SqlClient, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({
      ...contractRoute('postCardViews', tokens, {
        tags: ['audit'],
        summary: 'Record customer card views',
        description: "Records who opened which customer's card, when and why. Idempotent by viewId; the caller may only record their own views.",
        body: { description: 'Card views recorded on one desk.', example: examples.cardViewAuditBatch },
        answer: { description: 'How many views were new and how many already stored.', example: examples.cardViewAuditAccepted },
        otherResponses: { ...errorResponses, ...bodyErrorResponses },
      }),
      handler: async (request, reply) => {
        const refusal = refusalOf(request.body.items, authOf(request).user, 'card views');
        if (refusal !== null) return reply.code(refusal.status).send(apiError(refusal.error, refusal.message));
        return storeCardViews(db, request.body);
      },
    });

    app.route({
      ...contractRoute('listCardViews', tokens, {
        tags: ['audit'],
        summary: 'List customer card views',
        description: 'Stored card views, optionally of one customer, in order after the cursor `after`; continue with `after=nextCursor`.',
        answer: { description: 'A page of card views.', example: examples.cardViewAuditList },
        otherResponses: errorResponses,
      }),
      handler: (request) => listCardViews(db, request.query),
    });

    app.route({
      ...contractRoute('postInteractionDiscards', tokens, {
        tags: ['audit'],
        summary: 'Record calls closed without an outcome',
        description:
          'Records the open calls an agent discarded (after a confirmation on the desk), with the reason and the draft as it was. ' +
          'Idempotent by discardId; the caller may only record their own.',
        body: { description: 'Discards recorded on one desk.', example: { deviceId: 'desk-7f3a', items: [exampleDiscard] } },
        answer: { description: 'How many discards were new and how many already stored.', example: { stored: 1, duplicates: 0 } },
        otherResponses: { ...errorResponses, ...bodyErrorResponses },
      }),
      handler: async (request, reply) => {
        const refusal = refusalOf(request.body.items, authOf(request).user, 'discards');
        if (refusal !== null) return reply.code(refusal.status).send(apiError(refusal.error, refusal.message));
        return storeDiscards(db, request.body);
      },
    });

    app.route({
      ...contractRoute('listInteractionDiscards', tokens, {
        tags: ['audit'],
        summary: 'List calls closed without an outcome',
        description: 'Stored discards, optionally of one agent, in order after the cursor `after`; continue with `after=nextCursor`.',
        answer: {
          description: 'A page of discards.',
          example: { discards: [{ ...exampleDiscard, serverSeq: 17, receivedAt: '2026-12-07T01:19:41.000Z' }], nextCursor: 17 },
        },
        otherResponses: errorResponses,
      }),
      handler: (request) => listDiscards(db, request.query),
    });
  };
}
