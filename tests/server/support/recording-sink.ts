// A CallEventSink that records what a connector hands over, for testing a connector without the hub.
import type { CallEventSink, PlatformCallEvent } from '../../../server/cti/connectors/call-event-hub';

export function recordingSink() {
  const delivered: PlatformCallEvent[] = [];
  /** Everything else, in order: `ignored`, `malformed: <reason>`, `unauthorized: <message>`. */
  const other: string[] = [];
  const sink: CallEventSink = {
    async deliver(event) {
      delivered.push(event);
      return { outcome: 'published', event: { callId: event.callId, ani: '', agentId: 'agent01', event: event.stage }, caller: null };
    },
    malformed: (reason) => (other.push(`malformed: ${reason}`), { outcome: 'malformed', message: reason }),
    ignored: () => (other.push('ignored'), { outcome: 'ignored' }),
    unauthorized: (message) => (other.push(`unauthorized: ${message}`), { outcome: 'unauthorized', message }),
  };
  return { sink, delivered, other };
}
