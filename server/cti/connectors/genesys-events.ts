// Genesys Cloud's notification messages as our call events. One message on the topic
// v2.users.{userId}.conversations.calls carries the whole call conversation as it stands now (every
// participant and its state), sent again at each change of any participant; the connector reads the
// subscribed agent's own participant for the stage and the customer's for the number. The repeats
// this produces (the customer's state changing while the agent's does not) are the hub's duplicates.
import { z } from 'zod';
import type { CtiCallEvent } from '../../../shared/contract/central-api';
import { externalIdOf } from './agent-directory';
import { schemaProblems, type PlatformCallEvent } from './call-event-hub';

export const GENESYS = 'genesys';
const CALLS_TOPIC = /^v2\.users\.([^.]+)\.conversations\.calls$/;

export const genesysCallsTopic = (genesysUserId: string) => `v2.users.${genesysUserId}.conversations.calls`;

/** What the channel says about itself: heartbeats, pongs, and the warning before it closes for maintenance. */
const CHANNEL_METADATA = 'channel.metadata';
export const SOCKET_CLOSING = 'v2.system.socket_closing';

/** Only the fields we read; Genesys adds fields over time, so everything else is let through unread. */
const Participant = z.looseObject({
  purpose: z.string().optional(),
  state: z.string().optional(),
  ani: z.string().optional(),
  address: z.string().optional(),
  user: z.looseObject({ id: z.string() }).optional(),
});
const CallConversation = z.looseObject({ id: z.string().min(1), participants: z.array(Participant) });
const Notification = z.looseObject({ topicName: z.string(), eventBody: z.unknown() });

const STAGE_OF_STATE: Record<string, CtiCallEvent['event']> = {
  alerting: 'offered',
  connected: 'answered',
  disconnected: 'ended',
  terminated: 'ended',
};
const AGENT_PURPOSES = new Set(['agent', 'user']);
const CALLER_PURPOSES = new Set(['customer', 'external']);

export type GenesysReading =
  | { kind: 'call'; event: PlatformCallEvent }
  /** A call message that is no desk event (the agent's leg dialling, a conversation without the agent). */
  | { kind: 'ignored' }
  /** Heartbeat, pong, subscription echo: nothing to count. */
  | { kind: 'channel' }
  | { kind: 'closing' }
  | { kind: 'malformed'; reason: string };

/** Reads one WebSocket message of the notification channel. */
export function readGenesysMessage(text: string): GenesysReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'message: not JSON' };
  }
  const notification = Notification.safeParse(json);
  if (!notification.success) return { kind: 'malformed', reason: schemaProblems(notification.error) };
  const { topicName, eventBody } = notification.data;
  if (topicName === SOCKET_CLOSING) return { kind: 'closing' };
  const topic = CALLS_TOPIC.exec(topicName);
  if (topicName === CHANNEL_METADATA || topic === null) return { kind: 'channel' };

  const conversation = CallConversation.safeParse(eventBody);
  if (!conversation.success) return { kind: 'malformed', reason: schemaProblems(conversation.error) };
  const genesysUserId = topic[1]!;
  const { id, participants } = conversation.data;
  // The last of the agent's legs: a call transferred away and back gives the agent a new participant.
  const agentLeg = participants.findLast((p) => p.user?.id === genesysUserId && AGENT_PURPOSES.has(p.purpose ?? ''));
  const stage = STAGE_OF_STATE[agentLeg?.state ?? ''];
  if (stage === undefined) return { kind: 'ignored' };
  const caller = participants.find((p) => CALLER_PURPOSES.has(p.purpose ?? ''));
  return {
    kind: 'call',
    event: { callId: id, stage, agent: { externalId: externalIdOf(GENESYS, genesysUserId) }, caller: caller?.ani ?? caller?.address ?? null },
  };
}
