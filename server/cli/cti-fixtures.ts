// The CTI fixtures under tests/fixtures/cti/<vendor>/ (payloads built from each vendor's published
// documentation, with their source named) and how each is sent to a central API as its platform
// would send it: the signed webhook, Amazon Connect's EventBridge API destination, Genesys Cloud's
// notification channel (through the fake organisation the connector is pointed at), a SIP proxy's
// signed events, or FreeSWITCH's Event Socket (through the fake one the connector is pointed at).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CONNECT_KEY_HEADER } from '../cti/connectors/amazon-connect';
import { FREESWITCH_CHANNEL_EVENTS } from '../cti/connectors/freeswitch';
import { genesysCallsTopic } from '../cti/connectors/genesys-events';
import { signedWebhookHeaders } from '../cti/connectors/webhook';
import type { FakeEventSocket } from './fake-event-socket';
import type { FakeGenesys } from './fake-genesys';

const Expected = z.array(z.object({ callId: z.string(), ani: z.string(), event: z.enum(['offered', 'answered', 'ended']) }));
const Described = { description: z.string(), source: z.array(z.string()).min(1), note: z.string().optional(), expected: Expected };

export const CtiFixture = z.discriminatedUnion('vendor', [
  z.object({ vendor: z.literal('webhook'), ...Described, events: z.array(z.record(z.string(), z.unknown())).min(1) }),
  z.object({ vendor: z.literal('amazon-connect'), ...Described, agentArn: z.string(), events: z.array(z.record(z.string(), z.unknown())).min(1) }),
  z.object({ vendor: z.literal('genesys'), ...Described, agentGenesysId: z.string(), messages: z.array(z.unknown()).min(1) }),
  /** `extension`: the agent's extension the proxy reports (external id sip:<extension>). */
  z.object({ vendor: z.literal('sip'), ...Described, extension: z.string(), events: z.array(z.record(z.string(), z.unknown())).min(1) }),
  /** `agentExtension`: the value of the agent header (by default the agent leg's Caller-Destination-Number). */
  z.object({ vendor: z.literal('freeswitch'), ...Described, agentExtension: z.string(), events: z.array(z.record(z.string(), z.string())).min(1) }),
]);
export type CtiFixture = z.infer<typeof CtiFixture>;

export function loadCtiFixture(path: string): CtiFixture {
  const parsed = CtiFixture.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a CTI fixture: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The external id a user needs for the fixture's agent to ring their desk (null: the webhook names our user id). */
export function fixtureExternalId(fixture: CtiFixture): string | null {
  if (fixture.vendor === 'amazon-connect') return `amazon-connect:${fixture.agentArn}`;
  if (fixture.vendor === 'genesys') return `genesys:${fixture.agentGenesysId}`;
  if (fixture.vendor === 'sip') return `sip:${fixture.extension}`;
  if (fixture.vendor === 'freeswitch') return `freeswitch:${fixture.agentExtension}`;
  return null;
}

export interface ReplayTarget {
  apiUrl: string;
  webhookKey?: string;
  connectKey?: string;
  /** One of the API's CLM_SIP_KEYS. */
  sipKey?: string;
  /** The fake organisation the API's Genesys connector is connected to. */
  genesys?: FakeGenesys;
  /** The fake Event Socket the API's FreeSWITCH connector is connected to. */
  eventSocket?: FakeEventSocket;
  /** For the webhook: whose desk rings (default: the fixture's agentId). */
  agentId?: string;
  /** Called with each HTTP answer (status, body), e.g. to print it. */
  onAnswer?: (status: number, body: string) => void;
}

async function post(url: string, headers: Record<string, string>, body: string, target: ReplayTarget): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  target.onAnswer?.(response.status, await response.text());
}

/** Sends the fixture's payloads in order, each after the previous one was answered. */
export async function replayCtiFixture(fixture: CtiFixture, target: ReplayTarget): Promise<void> {
  if (fixture.vendor === 'genesys') {
    if (target.genesys === undefined) throw new Error('a Genesys fixture is played through the fake notification service');
    await target.genesys.subscribed(genesysCallsTopic(fixture.agentGenesysId));
    target.genesys.play(fixture.messages);
    return;
  }
  if (fixture.vendor === 'freeswitch') {
    if (target.eventSocket === undefined) throw new Error('a FreeSWITCH fixture is played through the fake Event Socket');
    await target.eventSocket.whenSubscribed(FREESWITCH_CHANNEL_EVENTS);
    for (const event of fixture.events) target.eventSocket.send(event);
    return;
  }
  if (fixture.vendor === 'sip') {
    if (target.sipKey === undefined) throw new Error('SIP proxy events need a key (CLM_SIP_KEYS)');
    for (const event of fixture.events) {
      const body = JSON.stringify(event);
      await post(new URL('/cti/sip/events', target.apiUrl).toString(), signedWebhookHeaders(target.sipKey, body), body, target);
    }
    return;
  }
  for (const event of fixture.events) {
    if (fixture.vendor === 'webhook') {
      if (target.webhookKey === undefined) throw new Error('the signed webhook needs a key (CLM_CTI_WEBHOOK_KEYS)');
      const body = JSON.stringify(target.agentId === undefined ? event : { ...event, agentId: target.agentId });
      await post(new URL('/cti/webhook', target.apiUrl).toString(), signedWebhookHeaders(target.webhookKey, body), body, target);
    } else {
      if (target.connectKey === undefined) throw new Error('Amazon Connect events need a key (CLM_CONNECT_KEYS)');
      await post(new URL('/cti/amazon-connect/events', target.apiUrl).toString(), { [CONNECT_KEY_HEADER]: target.connectKey }, JSON.stringify(event), target);
    }
  }
}
