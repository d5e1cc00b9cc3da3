// Desk revocation for the operator's administrators (the same operations as `clm desks`), and the
// one question a desk asks before anyone signs in on it: was I revoked?
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../shared/contract/central-api';
import { DeskIdParams, DeskList, DeskRecord, RevokeDeskRequest, type DeskRevocationStatus } from '../../shared/contract/desks';
import { authOf, requireRoles } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import { apiError } from '../http/api-error';
import { contractRoute } from '../http/contract-route';
import { badRequest, bodyErrorResponses, errorResponses, internalError } from '../http/error-responses';
import { documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import { DeskAdminError, type DeskRegistry } from './desk-registry';

const exampleDesk: DeskRecord = {
  deskId: '0b9e2f4c-7d1a-4e8b-9c3f-5a6d7e8f9012',
  lastUserId: 'agent17',
  lastSeenAt: '2026-12-07T08:55:00.000Z',
  revokedAt: '2026-12-07T09:10:00.000Z',
  revokedBy: 'admin01',
  revokeReason: 'laptop reported stolen, ticket 4711',
  unsent: 'hold',
};
const exampleStatus: DeskRevocationStatus = { revoked: true, unsent: 'hold' };
const unknownDesk = documentedResponse(ApiError, 'No desk has this id (a desk is known once a session was started on it).', {
  error: 'unknown_desk',
  message: "No desk '0b9e2f4c-…': a desk is known once a session was started on it (clm desks list shows them)",
});

/** The registry's refusal (an unknown desk) is the caller's to fix; anything else is ours (500). */
function refusalOf(error: unknown): ApiError {
  if (error instanceof DeskAdminError) return apiError(error.code, error.message);
  throw error;
}

export function deskRoutes(desks: DeskRegistry, tokens: TokenService): FastifyPluginAsyncZod {
  return async (app) => {
    const adminOnly = requireRoles(tokens, ['admin']);

    const revocation = contractRoute('getDeskRevocation', tokens, {
      tags: ['desks'],
      summary: 'Whether a desk was revoked',
      description:
        'Asked by a desk when it starts, before anyone signs in: a revoked desk erases its copy of the book, and its unsent work too ' +
        'when the administrator decided so (`unsent: discard`). Public: a desk id is a random id only its own cache holds. An unknown id is not revoked.',
      answer: { description: 'The desk’s revocation.', example: exampleStatus },
      otherResponses: { 400: badRequest, 500: internalError },
    });
    app.route({
      ...revocation,
      schema: { ...revocation.schema, params: DeskIdParams },
      handler: async (request) => desks.status(DeskIdParams.parse(request.params).deskId),
    });

    app.get(
      '/desks',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['desks'],
          operationId: 'listDesks',
          summary: 'List the desks',
          description: 'Every desk a session was started on, the last user and when, and its revocation; the most recently used first.',
          response: { 200: documentedResponse(DeskList, 'The desks.', { desks: [exampleDesk] }), ...errorResponses },
        },
      },
      async () => ({ desks: await desks.list() }),
    );

    app.post(
      '/desks/:deskId/revoke',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['desks'],
          operationId: 'revokeDesk',
          summary: 'Revoke a desk (a lost or stolen laptop)',
          description:
            'At once: the refresh tokens of every session started on the desk are revoked, its access tokens are refused (401 `desk_revoked`) ' +
            'and it may not sign in (403 `desk_revoked`). The desk erases its copy of the book as soon as it hears of it (a request refused, or its next start). ' +
            '`unsent` decides what it does with work not uploaded yet: `hold` keeps it on the desk until it is reinstated (then it uploads) or revoked again ' +
            'with `discard`, which erases it. Revoking again changes only the reason and the decision.',
          params: DeskIdParams,
          body: documentedBody(strictDeep(RevokeDeskRequest), 'Why, and what becomes of its unsent work.', {
            reason: 'laptop reported stolen, ticket 4711',
            unsent: 'hold',
          }),
          response: { 200: documentedResponse(DeskRecord, 'The desk as it is now.', exampleDesk), ...errorResponses, 404: unknownDesk, ...bodyErrorResponses },
        },
      },
      async (request, reply) => {
        const { reason, unsent } = request.body;
        try {
          return await desks.revoke(request.params.deskId, { by: authOf(request).user.id, reason, unsent });
        } catch (error) {
          return reply.code(404).send(refusalOf(error));
        }
      },
    );

    app.post(
      '/desks/:deskId/reinstate',
      {
        onRequest: adminOnly,
        schema: {
          tags: ['desks'],
          operationId: 'reinstateDesk',
          summary: 'Reinstate a revoked desk',
          description:
            'The laptop is back in safe hands: the desk may sign in again; the sessions ended by the revocation stay ended. Its held unsent work uploads ' +
            'at the next sign-in, and it downloads its copy of the book afresh. Reinstating a desk that is not revoked changes nothing.',
          params: DeskIdParams,
          response: {
            200: documentedResponse(DeskRecord, 'The desk as it is now.', {
              ...exampleDesk,
              revokedAt: null,
              revokedBy: null,
              revokeReason: null,
              unsent: null,
            }),
            ...errorResponses,
            404: unknownDesk,
          },
        },
      },
      async (request, reply) => {
        try {
          return await desks.reinstate(request.params.deskId);
        } catch (error) {
          return reply.code(404).send(refusalOf(error));
        }
      },
    );
  };
}
