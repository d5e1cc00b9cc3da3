// The one way a platform's event becomes a desk push, whichever connector heard it: check it, find
// our agent, drop what repeats or comes late, normalise the caller's number, publish. Every event
// ends in one outcome, counted per connector; the ones an operator must act on (unknown agent,
// malformed) are logged without the caller's number or the payload. Nothing here throws at a
// connector except a failed publish (the database), which the connector reports to its platform.
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { CtiCallEvent } from '../../../shared/contract/central-api';
import type { SqlClient } from '../../db/sql-client';
import { publishCtiEvent } from '../publish';
import type { AgentDirectory, AgentRef } from './agent-directory';
import { normalizeCallerNumber, type CallerNumber } from './caller-number';
import type { CallTracker } from './call-tracker';
import type { ConnectorMetrics } from './connector-metrics';

/** A platform's call event, as its connector read it. */
export interface PlatformCallEvent {
  /** The platform's id of the call (conversation, contact, channel); published as our call id. */
  callId: string;
  stage: CtiCallEvent['event'];
  /** Null while the platform has not given the call to an agent (in the IVR, in a queue). */
  agent: AgentRef | null;
  /** The caller's number exactly as the platform gave it; null or unparseable means withheld. */
  caller: string | null;
}

export type DeliveryOutcome = 'published' | 'duplicate' | 'out_of_order' | 'no_agent' | 'ignored' | 'unknown_agent' | 'malformed' | 'unauthorized';

export type Delivery =
  | { outcome: 'published'; event: CtiCallEvent; caller: CallerNumber | null }
  | { outcome: 'duplicate' | 'out_of_order' | 'no_agent' | 'ignored' }
  /** The platform must change something: `message` says what (no personal data in it). */
  | { outcome: 'unknown_agent' | 'malformed' | 'unauthorized'; message: string };

/** What one connector hands its events to. */
export interface CallEventSink {
  deliver(event: PlatformCallEvent): Promise<Delivery>;
  /** An event the connector could not read; `reason` names fields and rules, never values. */
  malformed(reason: string): Delivery;
  /** An event the connector reads but that is not a call event for a desk (a chat, a queue change). */
  ignored(): Delivery;
  /** A request whose credentials failed (HTTP connectors). */
  unauthorized(message: string): Delivery;
}

export interface CallEventHub {
  sink(connector: string): CallEventSink;
}

export interface CallEventHubDeps {
  db: SqlClient;
  log: FastifyBaseLogger;
  directory: AgentDirectory;
  tracker: CallTracker;
  metrics: ConnectorMetrics;
  /** Where the push goes (default: the cti_events NOTIFY channel every instance listens to). */
  publish?: (event: CtiCallEvent) => Promise<unknown>;
}

const CALL_ID_MAX = 64;

/** A zod error as a reason to log and answer: field paths and rules only, never the values given. */
export function schemaProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.code}`)
    .join('; ');
}

function unknownAgentMessage(agent: AgentRef): string {
  if ('userId' in agent) return `No enabled user has the id '${agent.userId}'`;
  return `No enabled user has the external id '${agent.externalId}': set it with clm users set-external-id`;
}

export function createCallEventHub(deps: CallEventHubDeps): CallEventHub {
  const publish = deps.publish ?? ((event: CtiCallEvent) => publishCtiEvent(deps.db, event));
  /**
   * The events of one call are handled one after the other, in the order they were handed over:
   * each waits for the database (agent look-up, publish), and a later event overtaking an earlier
   * one there would have the earlier dropped as out of order. Only calls with an event in hand are kept.
   */
  const inHand = new Map<string, Promise<unknown>>();
  const inOrder = <T>(key: string, handle: () => Promise<T>): Promise<T> => {
    const handled = (inHand.get(key) ?? Promise.resolve()).then(handle);
    const settled = handled.catch(() => undefined);
    inHand.set(key, settled);
    void settled.then(() => {
      if (inHand.get(key) === settled) inHand.delete(key);
    });
    return handled;
  };

  return {
    sink(connector) {
      const log = deps.log.child({ connector });
      const settle = <D extends Delivery>(delivery: D): D => {
        deps.metrics.counted(connector, delivery.outcome);
        if ('message' in delivery) log.warn({ outcome: delivery.outcome }, `CTI event refused: ${delivery.message}`);
        return delivery;
      };
      const malformed = (reason: string) => settle({ outcome: 'malformed' as const, message: `Malformed ${connector} event: ${reason}` });

      async function deliverNow(platformEvent: PlatformCallEvent): Promise<Delivery> {
        const started = performance.now();
        const { callId, stage, agent } = platformEvent;
        if (callId.length === 0 || callId.length > CALL_ID_MAX) return malformed(`call id: must be 1 to ${CALL_ID_MAX} characters`);
        if (agent === null) return settle({ outcome: 'no_agent' });
        const agentId = await deps.directory.resolve(agent);
        if (agentId === null) return settle({ outcome: 'unknown_agent', message: unknownAgentMessage(agent) });
        const tracked = deps.tracker.advance(`${connector}\n${callId}\n${agentId}`, stage);
        if (tracked.verdict !== 'forward') return settle({ outcome: tracked.verdict });
        const caller = normalizeCallerNumber(platformEvent.caller);
        const event: CtiCallEvent = { callId, ani: caller?.e164 ?? '', agentId, event: stage };
        try {
          await publish(event);
        } catch (error) {
          tracked.revert();
          throw error;
        }
        deps.metrics.published(connector, (performance.now() - started) / 1000);
        return settle({ outcome: 'published', event, caller });
      }

      return {
        malformed,
        ignored: () => settle({ outcome: 'ignored' }),
        unauthorized: (message) => settle({ outcome: 'unauthorized', message }),
        deliver: (platformEvent) => inOrder(`${connector}\n${platformEvent.callId}`, () => deliverNow(platformEvent)),
      };
    },
  };
}
