// A CTI event is logged and announced with NOTIFY in one transaction, so it reaches every
// instance's listener exactly when it is durable. Whichever instance holds the agent's
// WebSocket pushes it; the instance that took the POST needs no knowledge of where that is.
import type { CtiCallEvent, CtiPush } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { normalizeCallerNumber } from './connectors/caller-number';

export const CTI_CHANNEL = 'cti_events';

export async function publishCtiEvent(db: SqlClient, event: CtiCallEvent): Promise<CtiPush> {
  const push: CtiPush = { type: 'call', event, at: new Date().toISOString() };
  // The log keeps the number as customers are keyed (the mainland form), so the privacy export and
  // erasure and the cache scope's recent callers find a call by the customer's number.
  const loggedNumber = normalizeCallerNumber(event.ani)?.mainland ?? event.ani;
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO cti_calls (call_id, ani, agent_id, event) VALUES ($1, $2, $3, $4)', [event.callId, loggedNumber, event.agentId, event.event]);
    await tx.notify(CTI_CHANNEL, JSON.stringify(push));
  });
  return push;
}
