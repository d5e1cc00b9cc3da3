import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CtiCallAccepted, CtiCallEvent, ROLES } from '../../shared/contract/central-api';
import { StreamResumeQuery } from '../../shared/contract/desk-push';
import { authOf, requireRoles, type TokenSource } from '../auth/guard';
import type { TokenService } from '../auth/tokens';
import { apiError } from '../http/api-error';
import * as examples from '../http/openapi-examples';
import { CTI_KEY_ROUTE, documentedBody, documentedResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import type { AgentSockets } from './agent-sockets';
import { replyWithDelivery } from './connectors/connector';
import type { CallEventSink } from './connectors/call-event-hub';
import { refuseInvalidBody } from './connectors/json-body';
import { connectorResponses } from './connectors/openapi';

export const BEARER_PROTOCOL_PREFIX = 'bearer.';

function offeredProtocols(request: Pick<FastifyRequest, 'headers'>): string[] {
  return (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Browsers cannot set headers on a WebSocket, so the token rides in the subprotocol list or the query. */
export const webSocketToken: TokenSource = (request) => {
  const fromProtocol = offeredProtocols(request).find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  if (fromProtocol !== undefined) return fromProtocol.slice(BEARER_PROTOCOL_PREFIX.length);
  return new URL(request.url, 'http://localhost').searchParams.get('token');
};

/**
 * A browser drops the connection unless the server selects one of the offered subprotocols:
 * prefer an application protocol, else echo the bearer one.
 */
export function selectSubprotocol(protocols: Set<string>): string | false {
  const offered = [...protocols];
  return offered.find((p) => !p.startsWith(BEARER_PROTOCOL_PREFIX)) ?? offered[0] ?? false;
}

/** Compares digests so neither content nor length of the key leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * POST /cti/calls (the walking skeleton's static X-CTI-Key, kept because the existing tools, tests and
 * deployments post to it; new integrations use the signed POST /cti/webhook) and the desks' stream.
 */
export function ctiRoutes(tokens: TokenService, ctiKey: string, sockets: AgentSockets, sink: CallEventSink): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/cti/calls',
      {
        attachValidation: true,
        onRequest: async (request, reply) => {
          const given = request.headers['x-cti-key'];
          if (typeof given !== 'string' || !sameSecret(given, ctiKey))
            return reply.code(401).send(apiError('unauthorized', 'Missing or wrong X-CTI-Key header'));
        },
        schema: {
          tags: ['cti'],
          operationId: 'postCtiCallEvent',
          summary: 'Push a call event from the telephony platform',
          description:
            "Publishes a call event (offered, answered, ended) to the agent's desks on every server instance, which receive it on the " +
            'GET /cti/stream WebSocket. Authenticated with the shared X-CTI-Key header, not a user token; new integrations use the ' +
            "signed POST /cti/webhook instead. A repeat, or an event older than the call's state, is accepted and dropped.",
          security: CTI_KEY_ROUTE,
          body: documentedBody(strictDeep(CtiCallEvent), 'A call event for one agent.', examples.ctiCallEvent),
          response: connectorResponses(documentedResponse(CtiCallAccepted, 'Published to every instance.', examples.ctiCallAccepted), {
            description: 'The X-CTI-Key header is missing or wrong.',
            message: 'Missing or wrong X-CTI-Key header',
          }),
        },
      },
      async (request, reply) => {
        refuseInvalidBody(request, sink);
        const { callId, event, agentId, ani } = request.body;
        const delivery = await sink.deliver({ callId, stage: event, agent: { userId: agentId }, caller: ani });
        if ('message' in delivery) return replyWithDelivery(reply, delivery);
        return reply.code(202).send({ callId, accepted: true });
      },
    );

    app.get(
      '/cti/stream',
      { websocket: true, onRequest: requireRoles(tokens, ROLES, webSocketToken), schema: { tags: ['cti'], hide: true } },
      (socket, request) => {
        const { user, expiresAt, deskId } = authOf(request);
        // A malformed resume point is a fresh start, not a refused stream: the desk's calls matter more.
        const resume = StreamResumeQuery.safeParse(request.query);
        sockets.attach(socket, { agentId: user.id, deskId, closeAt: expiresAt, resumeAfter: resume.success ? resume.data.after : undefined });
      },
    );
  };
}
