// A CTI event is logged and announced with NOTIFY in one transaction, so it reaches every
// instance's listener exactly when it is durable. Whichever instance holds the agent's
// WebSocket pushes it; the instance that took the POST needs no knowledge of where that is.
import type { CtiCallEvent } from '../../shared/contract/central-api';
import type { CallPush } from '../../shared/contract/desk-push';
import type { SqlClient } from '../db/sql-client';
import { normalizeCallerNumber } from './connectors/caller-number';

export const CTI_CHANNEL = 'cti_events';

export async function publishCtiEvent(db: SqlClient, event: CtiCallEvent): Promise<CallPush> {
  // The log keeps the number as customers are keyed (the mainland form), so the privacy export and
  // erasure and the cache scope's recent callers find a call by the customer's number.
  const loggedNumber = normalizeCallerNumber(event.ani)?.mainland ?? event.ani;
  return db.transaction(async (tx) => {
    const [logged] = await tx.query<{ id: number; received_at: Date }>(
      'INSERT INTO cti_calls (call_id, ani, agent_id, event) VALUES ($1, $2, $3, $4) RETURNING id, received_at',
      [event.callId, loggedNumber, event.agentId, event.event],
    );
    // Its id and time in the log, so a desk that reconnects is sent the very push it missed (agent-sockets.ts).
    const push: CallPush = { type: 'call', event, at: logged!.received_at.toISOString(), seq: logged!.id };
    await tx.notify(CTI_CHANNEL, JSON.stringify(push));
    return push;
  });
}
