// The two shapes a connector takes. A platform that calls us (Amazon Connect, the generic webhook,
// a Kamailio module) is a Fastify plugin; a platform we call (Genesys Cloud's notification channel,
// FreeSWITCH's Event Socket) is a client the API starts with itself and stops on close. Both hand
// every event to their CallEventSink and let it decide what reaches a desk.
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { z } from 'zod';
import { apiError } from '../../http/api-error';
import type { AgentDirectory } from './agent-directory';
import type { CallEventSink, Delivery } from './call-event-hub';

export interface ConnectorContext {
  sink: CallEventSink;
  /** To list the platform ids to subscribe to (a client connector subscribing per agent). */
  directory: AgentDirectory;
  log: FastifyBaseLogger;
}

/** A connector that holds a connection to its platform: it reconnects on its own until stopped. */
export interface ClientConnector {
  stop(): Promise<void>;
}

/** What an HTTP connector answers: 202 for everything it took (even a repeat, so the platform does not retry). */
export const ConnectorAccepted = z.object({
  accepted: z.literal(true),
  outcome: z.enum(['published', 'duplicate', 'out_of_order', 'no_agent', 'ignored']),
});
export type ConnectorAccepted = z.infer<typeof ConnectorAccepted>;

const REFUSED_STATUS = { malformed: 400, unauthorized: 401, unknown_agent: 422 } as const;
const REFUSED_ERROR = { malformed: 'malformed_event', unauthorized: 'unauthorized', unknown_agent: 'unknown_agent' } as const;

/** Sends a delivery as the HTTP answer: 202 with the outcome, or the refusal with its ApiError. */
export function replyWithDelivery(reply: FastifyReply, delivery: Delivery) {
  if ('message' in delivery) return reply.code(REFUSED_STATUS[delivery.outcome]).send(apiError(REFUSED_ERROR[delivery.outcome], delivery.message));
  return reply.code(202).send({ accepted: true, outcome: delivery.outcome });
}
