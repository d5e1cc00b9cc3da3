// The generic webhook, signed: any switch or middleware that can compute an HMAC posts our own call
// event. The signature covers the timestamp and the exact body, so neither can be changed in
// transit, and a timestamp outside the window refuses a captured request replayed later (a repeat
// inside the window is one more duplicate, which the hub drops). Two keys are valid at once so the
// sender can be moved to a new key without a moment in which it is refused.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CtiCallEvent } from '../../../shared/contract/central-api';
import type { CtiConnectorSettings } from '../../config';
import * as examples from '../../http/openapi-examples';
import { documentedBody, documentedResponse } from '../../http/openapi-document';
import { strictDeep } from '../../http/strict-schema';
import type { CallEventSink } from './call-event-hub';
import { ConnectorAccepted, replyWithDelivery } from './connector';
import { keepRawJsonBodies, rawBodyOf, refuseInvalidBody } from './json-body';
import { connectorResponses } from './openapi';

export const WEBHOOK_TIMESTAMP_HEADER = 'x-clm-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-clm-signature';
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/** The signature header's value for a body sent at `timestampSeconds`: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signWebhookBody(key: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', key).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** The headers a sender adds to a body: what `npm run calls` and the tests send. */
export function signedWebhookHeaders(key: string, body: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return { [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp), [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(key, timestamp, body) };
}

/** Why a request's signature is refused, or null when one of the keys signed it within the window. */
export function signatureProblem(
  settings: CtiConnectorSettings['webhook'],
  headers: { timestamp: unknown; signature: unknown },
  body: string,
  nowMs: number,
): string | null {
  if (settings.keys.length === 0) return 'The signed webhook is not configured on this server: set CLM_CTI_WEBHOOK_KEYS';
  const { timestamp, signature } = headers;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return 'Missing or malformed X-CLM-Timestamp header (Unix seconds)';
  const match = typeof signature === 'string' ? SIGNATURE.exec(signature) : null;
  if (match === null) return 'Missing or malformed X-CLM-Signature header (sha256=<64 hex digits>)';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > settings.toleranceSeconds)
    return `X-CLM-Timestamp is more than ${settings.toleranceSeconds} s from the server's clock: check the sender's clock, or this is a replay`;
  const given = Buffer.from(match[1]!, 'hex');
  const signedBy = settings.keys.some((key) => timingSafeEqual(given, Buffer.from(signWebhookBody(key, Number(timestamp), body).slice(7), 'hex')));
  return signedBy ? null : 'X-CLM-Signature does not match the body and timestamp under any configured key';
}

export function signedWebhookRoutes(settings: CtiConnectorSettings['webhook'], sink: CallEventSink, now: () => number = Date.now): FastifyPluginAsyncZod {
  return async (app) => {
    keepRawJsonBodies(app);
    app.post(
      '/cti/webhook',
      {
        attachValidation: true,
        schema: {
          tags: ['cti'],
          operationId: 'postSignedCtiCallEvent',
          summary: 'Push a call event, signed with HMAC-SHA256',
          description:
            'The generic webhook for a switch or middleware of your own: the same body as POST /cti/calls, authenticated by ' +
            '`X-CLM-Timestamp` (Unix seconds) and `X-CLM-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under one of the ' +
            'keys in CLM_CTI_WEBHOOK_KEYS (two during a rotation). A timestamp more than CLM_CTI_WEBHOOK_TOLERANCE_SECONDS (300) from the ' +
            "server's clock is refused. `agentId` is our user id; repeats and events older than the call's state are accepted and dropped.",
          security: [],
          body: documentedBody(strictDeep(CtiCallEvent), 'A call event for one agent.', examples.ctiCallEvent),
          response: connectorResponses(
            documentedResponse(ConnectorAccepted, 'Taken: published to the desks, or dropped as a repeat.', { accepted: true, outcome: 'published' }),
            {
              description: 'The signature or timestamp is missing, wrong or outside the window.',
              message: 'X-CLM-Signature does not match the body and timestamp under any configured key',
            },
          ),
        },
      },
      async (request, reply) => {
        const headers = { timestamp: request.headers[WEBHOOK_TIMESTAMP_HEADER], signature: request.headers[WEBHOOK_SIGNATURE_HEADER] };
        const problem = signatureProblem(settings, headers, rawBodyOf(request), now());
        if (problem !== null) return replyWithDelivery(reply, sink.unauthorized(problem));
        refuseInvalidBody(request, sink);
        const { callId, event, agentId, ani } = request.body;
        return replyWithDelivery(reply, await sink.deliver({ callId, stage: event, agent: { userId: agentId }, caller: ani }));
      },
    );
  };
}
