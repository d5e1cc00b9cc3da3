// The SIP connector: a SIP proxy in front of the agents' phones (Kamailio with deploy/kamailio/kamailio.cfg)
// posts what it sees of a call to an agent's extension: the INVITE reaching the phone, its 200 OK,
// the BYE. The proxy knows the agent only by the extension dialled, so the agent is the user whose
// external id is `sip:<extension>`. Requests are signed like the generic webhook (HMAC-SHA256 over
// the timestamp and the body), with keys of their own so either sender can be cut off alone.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CtiConnectorSettings } from '../../config';
import { badRequest, bodyErrorResponses, internalError, unauthorized } from '../../http/error-responses';
import { documentedBody, documentedResponse } from '../../http/openapi-document';
import { externalIdOf } from './agent-directory';
import type { CallEventSink } from './call-event-hub';
import { ConnectorAccepted, replyWithDelivery } from './connector';
import { keepRawJsonBodies, rawBodyOf, validationProblems } from './json-body';
import { unknownAgentResponse } from './openapi';
import { signatureProblem, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './webhook';

export const SIP_CONNECTOR = 'sip';

export type SipConnectorSettings = NonNullable<CtiConnectorSettings['sip']>;

export const SipCallEvent = z.strictObject({
  /** The SIP Call-ID of the call to the agent's phone. */
  callId: z.string().min(1).max(1024),
  event: z.enum(['offered', 'answered', 'ended']),
  /** The extension dialled: the agent's phone. */
  extension: z.string().min(1).max(64),
  /** The caller's number as the proxy read it (P-Asserted-Identity, else the From user); '' or absent when withheld. */
  caller: z.string().max(256).optional(),
});
export type SipCallEvent = z.infer<typeof SipCallEvent>;

const sipCallEventExample: SipCallEvent = { callId: 'a84b4c76e66710@pc33.example.com', event: 'offered', extension: '8002', caller: '+8613800138000' };

/** Our call ids are at most 64 characters; a longer SIP Call-ID is replaced by a digest of it, the same for each of its events. */
export function callIdOfSipCall(sipCallId: string): string {
  return sipCallId.length <= 64 ? sipCallId : `sip-${createHash('sha256').update(sipCallId).digest('hex').slice(0, 40)}`;
}

export function sipConnectorRoutes(settings: SipConnectorSettings | null, sink: CallEventSink, now: () => number = Date.now): FastifyPluginAsyncZod {
  return async (app) => {
    keepRawJsonBodies(app);
    app.post(
      '/cti/sip/events',
      {
        attachValidation: true,
        schema: {
          tags: ['cti'],
          operationId: 'postSipCallEvent',
          summary: "A SIP proxy reports a call to an agent's extension",
          description:
            "Sent by the SIP proxy in front of the agents' phones (deploy/kamailio/kamailio.cfg): `offered` when the INVITE is relayed to the " +
            'phone, `answered` on its 200 OK, `ended` on the BYE or when the call fails. The agent is the user whose external id is ' +
            '`sip:<extension>`. Signed like POST /cti/webhook (`X-CLM-Timestamp`, `X-CLM-Signature: sha256=<hex HMAC-SHA256 of ' +
            '"<timestamp>.<body>">`), under one of the keys in CLM_SIP_KEYS.',
          security: [],
          body: documentedBody(SipCallEvent, 'A call event as the proxy saw it.', sipCallEventExample),
          response: {
            202: documentedResponse(ConnectorAccepted, 'Taken: published to the desks, or dropped as a repeat.', { accepted: true, outcome: 'published' }),
            400: badRequest,
            401: unauthorized.meta({
              description: 'The signature or timestamp is missing, wrong or outside the window, or the connector is off (no CLM_SIP_KEYS).',
              examples: [{ error: 'unauthorized', message: 'X-CLM-Signature does not match the body and timestamp under any configured key' }],
            }),
            422: unknownAgentResponse,
            ...bodyErrorResponses,
            500: internalError,
          },
        },
      },
      async (request, reply) => {
        if (settings === null) return replyWithDelivery(reply, sink.unauthorized('The SIP connector is not configured on this server: set CLM_SIP_KEYS'));
        const headers = { timestamp: request.headers[WEBHOOK_TIMESTAMP_HEADER], signature: request.headers[WEBHOOK_SIGNATURE_HEADER] };
        const problem = signatureProblem(settings, headers, rawBodyOf(request), now());
        if (problem !== null) return replyWithDelivery(reply, sink.unauthorized(problem));
        if (request.validationError) {
          sink.malformed(validationProblems(request.validationError));
          throw request.validationError;
        }
        const { callId, event, extension, caller } = request.body;
        const delivery = await sink.deliver({
          callId: callIdOfSipCall(callId),
          stage: event,
          agent: { externalId: externalIdOf(SIP_CONNECTOR, extension) },
          caller: caller === undefined || caller === '' ? null : caller,
        });
        return replyWithDelivery(reply, delivery);
      },
    );
  };
}
