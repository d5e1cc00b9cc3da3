// The log of open calls agents closed without an outcome: append-only, keyed by the desk's
// discardId (a resend is a duplicate), read by supervisors with a cursor.
import type { InteractionDiscardBatch, InteractionDiscardList } from '../../shared/contract/interaction-audit';
import { storeAuditBatch } from './card-view-audit';
import type { SqlClient } from '../db/sql-client';

/** Serializes inserts so server_seq becomes visible in commit order (see CARD_VIEW_AUDIT_LOCK). */
export const INTERACTION_DISCARD_LOCK = 7_310_102;

const INSERT_SQL = `INSERT INTO interaction_discards
    (discard_id, interaction_id, agent_id, customer_id, call_id, phone_masked, state, opened_at, reason, draft, discarded_at, device_id)
  SELECT (d->>'discardId')::uuid, d->>'interactionId', d->>'agentId', d->>'customerId', d->>'callId', d->>'phoneMasked', d->>'state',
    (d->>'openedAt')::timestamptz, d->>'reason', d->'draft', (d->>'discardedAt')::timestamptz, $2::text
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS items (d, n)
  ORDER BY n
  ON CONFLICT (discard_id) DO NOTHING
  RETURNING server_seq`;

export const storeDiscards = (db: SqlClient, batch: InteractionDiscardBatch) => storeAuditBatch(db, INTERACTION_DISCARD_LOCK, INSERT_SQL, batch);

interface StoredDiscardRow {
  server_seq: number;
  discard_id: string;
  interaction_id: string;
  agent_id: string;
  customer_id: string | null;
  call_id: string | null;
  phone_masked: string | null;
  state: InteractionDiscardList['discards'][number]['state'];
  opened_at: Date | string;
  reason: string;
  draft: InteractionDiscardList['discards'][number]['draft'];
  discarded_at: Date | string;
  received_at: Date | string;
}

export async function listDiscards(db: SqlClient, query: { agentId?: string; after: number; limit: number }): Promise<InteractionDiscardList> {
  const rows = await db.query<StoredDiscardRow>(
    `SELECT server_seq, discard_id::text AS discard_id, interaction_id, agent_id, customer_id, call_id, phone_masked, state,
            opened_at, reason, draft, discarded_at, received_at
     FROM interaction_discards WHERE server_seq > $1 AND ($2::text IS NULL OR agent_id = $2::text)
     ORDER BY server_seq LIMIT $3`,
    [query.after, query.agentId ?? null, query.limit],
  );
  return {
    discards: rows.map((r) => ({
      serverSeq: r.server_seq,
      discardId: r.discard_id,
      interactionId: r.interaction_id,
      agentId: r.agent_id,
      customerId: r.customer_id,
      callId: r.call_id,
      phoneMasked: r.phone_masked,
      state: r.state,
      openedAt: new Date(r.opened_at).toISOString(),
      reason: r.reason,
      draft: r.draft,
      discardedAt: new Date(r.discarded_at).toISOString(),
      receivedAt: new Date(r.received_at).toISOString(),
    })),
    nextCursor: rows.at(-1)?.server_seq ?? query.after,
  };
}
