import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CardViewAuditAccepted, CardViewAuditBatch, CardViewAuditList, CardViewAuditQuery } from '../../shared/contract/reports';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { bodyErrorResponses, errorResponses } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { listCardViews, refusalOf, storeCardViews } from './card-view-audit';
import { listDiscards, storeDiscards } from './interaction-discards';
import { InteractionDiscardBatch, InteractionDiscardList, InteractionDiscardQuery, type InteractionDiscard } from '../../shared/contract/interaction-audit';

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
    app.post(
      '/audit/card-views',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: {
          tags: ['audit'],
          operationId: 'postCardViews',
          summary: 'Record customer card views',
          description: "Records who opened which customer's card, when and why. Idempotent by viewId; the caller may only record their own views.",
          body: documentedBody(strictDeep(CardViewAuditBatch), 'Card views recorded on one desk.', examples.cardViewAuditBatch),
          response: {
            200: documentedResponse(CardViewAuditAccepted, 'How many views were new and how many already stored.', examples.cardViewAuditAccepted),
            ...errorResponses,
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const refusal = refusalOf(request.body.items, authOf(request).user, 'card views');
        if (refusal !== null) return reply.code(refusal.status).send(apiError(refusal.error, refusal.message));
        return storeCardViews(db, request.body);
      },
    );

    app.get(
      '/audit/card-views',
      {
        onRequest: requireRoles(tokens, ['supervisor', 'admin']),
        schema: {
          tags: ['audit'],
          operationId: 'listCardViews',
          summary: 'List customer card views',
          description: 'Stored card views, optionally of one customer, in order after the cursor `after`; continue with `after=nextCursor`.',
          querystring: strictDeep(CardViewAuditQuery),
          response: {
            200: documentedResponse(CardViewAuditList, 'A page of card views.', examples.cardViewAuditList),
            ...errorResponses,
          },
        },
      },
      (request) => listCardViews(db, request.query),
    );

    app.post(
      '/audit/interaction-discards',
      {
        onRequest: requireRoles(tokens, ['agent', 'store', 'supervisor']),
        schema: {
          tags: ['audit'],
          operationId: 'postInteractionDiscards',
          summary: 'Record calls closed without an outcome',
          description:
            'Records the open calls an agent discarded (after a confirmation on the desk), with the reason and the draft as it was. ' +
            'Idempotent by discardId; the caller may only record their own.',
          body: documentedBody(strictDeep(InteractionDiscardBatch), 'Discards recorded on one desk.', { deviceId: 'desk-7f3a', items: [exampleDiscard] }),
          response: {
            200: documentedResponse(CardViewAuditAccepted, 'How many discards were new and how many already stored.', { stored: 1, duplicates: 0 }),
            ...errorResponses,
            ...bodyErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const refusal = refusalOf(request.body.items, authOf(request).user, 'discards');
        if (refusal !== null) return reply.code(refusal.status).send(apiError(refusal.error, refusal.message));
        return storeDiscards(db, request.body);
      },
    );

    app.get(
      '/audit/interaction-discards',
      {
        onRequest: requireRoles(tokens, ['supervisor', 'admin']),
        schema: {
          tags: ['audit'],
          operationId: 'listInteractionDiscards',
          summary: 'List calls closed without an outcome',
          description: 'Stored discards, optionally of one agent, in order after the cursor `after`; continue with `after=nextCursor`.',
          querystring: strictDeep(InteractionDiscardQuery),
          response: {
            200: documentedResponse(InteractionDiscardList, 'A page of discards.', {
              discards: [{ ...exampleDiscard, serverSeq: 17, receivedAt: '2026-12-07T01:19:41.000Z' }],
              nextCursor: 17,
            }),
            ...errorResponses,
          },
        },
      },
      (request) => listDiscards(db, request.query),
    );
  };
}
