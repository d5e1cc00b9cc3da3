// Amazon Connect: contact events, delivered by an EventBridge rule to an API destination (this
// route) whose connection sends an API key header. Connect names no ringing agent: the first event
// with an agent is CONNECTED_TO_AGENT, so it rings and answers the desk in one go (offered, then
// answered). The events carry no caller number; the flow copies $.CustomerEndpoint.Address into
// a user-defined contact attribute, read here from detail.attributes (docs/integration/amazon-connect.md
// says how it gets there). EventBridge does not keep events in order, which the hub absorbs.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CtiConnectorSettings } from '../../config';
import { documentedBody, documentedResponse } from '../../http/openapi-document';
import { externalIdOf } from './agent-directory';
import type { CallEventSink, PlatformCallEvent } from './call-event-hub';
import { ConnectorAccepted, replyWithDelivery } from './connector';
import { refuseInvalidBody } from './json-body';
import { connectorResponses } from './openapi';

export const AMAZON_CONNECT = 'amazon-connect';
export const CONNECT_KEY_HEADER = 'x-clm-connect-key';

/** The documented samples spell the agent's fields both `agentInfo.agentArn` and `AgentInfo.AgentArn`. */
const AgentInfo = z.looseObject({ agentArn: z.string().min(1).optional(), AgentArn: z.string().min(1).optional() });
export const ConnectContactEvent = z.looseObject({
  source: z.literal('aws.connect'),
  'detail-type': z.literal('Amazon Connect Contact Event'),
  detail: z.looseObject({
    eventType: z.string().min(1),
    contactId: z.string().min(1),
    channel: z.string().min(1),
    instanceArn: z.string().optional(),
    instanceARN: z.string().optional(),
    agentInfo: AgentInfo.optional(),
    AgentInfo: AgentInfo.optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
});
export type ConnectContactEvent = z.infer<typeof ConnectContactEvent>;

type ConnectSettings = NonNullable<CtiConnectorSettings['amazonConnect']>;
type Stages = PlatformCallEvent['stage'][];

const STAGES_OF: Record<string, Stages> = {
  INITIATED: ['offered'],
  CONNECTED_TO_AGENT: ['offered', 'answered'],
  DISCONNECTED: ['ended'],
};

/** The call events one contact event stands for: none for a chat, a task or a step we do not show (QUEUED…). */
export function readConnectEvent(event: ConnectContactEvent, settings: ConnectSettings): { instanceMatches: boolean; events: PlatformCallEvent[] } {
  const { detail } = event;
  const instance = detail.instanceArn ?? detail.instanceARN;
  const instanceMatches = settings.instanceArn === null || instance === settings.instanceArn;
  if (detail.channel.toUpperCase() !== 'VOICE') return { instanceMatches, events: [] };
  const agentInfo = detail.agentInfo ?? detail.AgentInfo;
  const agentArn = agentInfo?.agentArn ?? agentInfo?.AgentArn;
  const base = {
    callId: detail.contactId,
    agent: agentArn === undefined ? null : { externalId: externalIdOf(AMAZON_CONNECT, agentArn) },
    caller: detail.attributes?.[settings.callerAttribute] ?? null,
  };
  return { instanceMatches, events: (STAGES_OF[detail.eventType] ?? []).map((stage) => ({ ...base, stage })) };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function amazonConnectRoutes(settings: ConnectSettings | null, sink: CallEventSink): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/cti/amazon-connect/events',
      {
        attachValidation: true,
        bodyLimit: 256 * 1024,
        schema: {
          tags: ['cti'],
          operationId: 'postAmazonConnectContactEvent',
          summary: 'Take an Amazon Connect contact event (EventBridge API destination)',
          description:
            'The target of an EventBridge rule on `Amazon Connect Contact Event`, through an API destination whose connection sends ' +
            'the header `X-CLM-Connect-Key` (one of CLM_CONNECT_KEYS). Voice contacts only: CONNECTED_TO_AGENT rings and answers ' +
            'the desk of the user whose external id is `amazon-connect:<agentArn>`, DISCONNECTED ends the call; other event types ' +
            'and channels are accepted and ignored. The caller number is the contact attribute CLM_CONNECT_CALLER_ATTRIBUTE ' +
            '(default clmCallerNumber) in `detail.attributes`.',
          security: [],
          body: documentedBody(ConnectContactEvent, 'An EventBridge event of source aws.connect.', {
            source: 'aws.connect',
            'detail-type': 'Amazon Connect Contact Event',
            detail: {
              eventType: 'CONNECTED_TO_AGENT',
              contactId: '11111111-1111-1111-1111-111111111111',
              channel: 'VOICE',
              agentInfo: { agentArn: 'arn:aws:connect:ap-northeast-1:111122223333:instance/12345678-1234-1234-1234-123456789012/agent/a1b2c3d4' },
              attributes: { clmCallerNumber: '+8613800138000' },
            },
          }),
          response: connectorResponses(
            documentedResponse(ConnectorAccepted, 'Taken: published, dropped as a repeat, or not a desk event.', { accepted: true, outcome: 'published' }),
            {
              description: 'The X-CLM-Connect-Key header is missing or wrong, the connector is off, or the event is from another instance.',
              message: 'Missing or wrong X-CLM-Connect-Key header',
            },
          ),
        },
      },
      async (request, reply) => {
        const given = request.headers[CONNECT_KEY_HEADER];
        if (settings === null) return replyWithDelivery(reply, sink.unauthorized('Amazon Connect is not configured on this server: set CLM_CONNECT_KEYS'));
        if (typeof given !== 'string' || !settings.keys.some((key) => timingSafeEqual(digest(given), digest(key))))
          return replyWithDelivery(reply, sink.unauthorized('Missing or wrong X-CLM-Connect-Key header'));
        refuseInvalidBody(request, sink);
        const { instanceMatches, events } = readConnectEvent(request.body, settings);
        if (!instanceMatches)
          return replyWithDelivery(reply, sink.unauthorized('The event is from another Amazon Connect instance than CLM_CONNECT_INSTANCE_ARN'));
        const [first, ...rest] = events;
        if (first === undefined) return replyWithDelivery(reply, sink.ignored());
        let last = await sink.deliver(first);
        // offered then answered: the answer names the last, or the refusal that stopped them.
        for (const event of rest) if (!('message' in last)) last = await sink.deliver(event);
        return replyWithDelivery(reply, last);
      },
    );
  };
}
