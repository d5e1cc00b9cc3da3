// The card-view audit log: append-only, keyed by the desk's viewId, read by supervisors with a cursor.
import type { User } from '../../shared/contract/central-api';
import type { CardViewAuditBatch, CardViewAuditList } from '../../shared/contract/card-view-audit';
import { advisoryXactLockSql } from '../db/advisory-locks';
import type { SqlClient } from '../db/sql-client';

/**
 * Serializes audit inserts so server_seq becomes visible in commit order and a reader's cursor
 * never skips a row (what server/db/commit-order.ts gives the change log and the outcomes without a lock).
 */
export const CARD_VIEW_AUDIT_LOCK = 7_310_101;

/** A clear phone number (or any long run of digits) must never reach the audit log. */
const CLEAR_NUMBER = /\d{7,}/;

export type AuditRefusal = { status: 400 | 403; error: string; message: string };

/**
 * Why a batch of audit rows (`what`: card views, discards) is refused as a whole (nothing is
 * stored then), or null when it may be stored: a desk reports only its own user's rows, masked.
 * A session cannot vouch that another agent looked at a card, so a desk shared by several agents
 * sends each agent's rows in that agent's own session (db/outbox/audit-outbox.ts).
 */
export function refusalOf(items: readonly { agentId: string; phoneMasked: string | null }[], caller: User, what: string): AuditRefusal | null {
  for (const [index, item] of items.entries()) {
    if (item.agentId !== caller.id)
      return {
        status: 403,
        error: 'agent_mismatch',
        message: `items.${index}.agentId '${item.agentId}' is not the caller '${caller.id}': a desk reports only its own user's ${what}`,
      };
    if (item.phoneMasked !== null && CLEAR_NUMBER.test(item.phoneMasked))
      return {
        status: 400,
        error: 'clear_phone_number',
        message: `items.${index}.phoneMasked holds 7 or more consecutive digits: mask the number (138****1234) before sending it`,
      };
  }
  return null;
}

// Duplicates (stored before, checked under the lock; or repeated in the batch, caught by the key
// (view_id, received_at), the month's column being part of it) are skipped, so the returned rows are exactly the new ones.
const INSERT_VIEWS_SQL = `INSERT INTO card_view_audit (view_id, agent_id, customer_id, phone_masked, purpose, call_id, viewed_at, device_id)
  SELECT (v->>'viewId')::uuid, v->>'agentId', v->>'customerId', v->>'phoneMasked', v->>'purpose', v->>'callId',
    (v->>'viewedAt')::timestamptz, $2::text
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS items (v, n)
  WHERE NOT EXISTS (SELECT 1 FROM card_view_audit a WHERE a.view_id = (v->>'viewId')::uuid)
  ORDER BY n
  ON CONFLICT DO NOTHING
  RETURNING server_seq`;

/**
 * Stores a checked batch of audit rows with `insertSql` ($1 the items as JSON, $2 the device;
 * duplicates skipped, returning one row per new item) under `lock`; committed before it resolves.
 */
export async function storeAuditBatch(
  db: SqlClient,
  lock: number,
  insertSql: string,
  batch: { deviceId: string; items: readonly unknown[] },
): Promise<{ stored: number; duplicates: number }> {
  return db.transaction(async (tx) => {
    await tx.query(advisoryXactLockSql(lock));
    const inserted = await tx.query(insertSql, [JSON.stringify(batch.items), batch.deviceId]);
    return { stored: inserted.length, duplicates: batch.items.length - inserted.length };
  });
}

export const storeCardViews = (db: SqlClient, batch: CardViewAuditBatch) => storeAuditBatch(db, CARD_VIEW_AUDIT_LOCK, INSERT_VIEWS_SQL, batch);

interface StoredViewRow {
  server_seq: number;
  view_id: string;
  agent_id: string;
  customer_id: string | null;
  phone_masked: string | null;
  purpose: 'call' | 'lookup' | 'search' | 'outbound';
  call_id: string | null;
  viewed_at: Date | string;
  received_at: Date | string;
}

export async function listCardViews(db: SqlClient, query: { customerId?: string; after: number; limit: number }): Promise<CardViewAuditList> {
  const rows = await db.query<StoredViewRow>(
    `SELECT server_seq, view_id::text AS view_id, agent_id, customer_id, phone_masked, purpose, call_id, viewed_at, received_at
     FROM card_view_audit WHERE server_seq > $1 AND ($2::text IS NULL OR customer_id = $2::text)
     ORDER BY server_seq LIMIT $3`,
    [query.after, query.customerId ?? null, query.limit],
  );
  return {
    views: rows.map((r) => ({
      serverSeq: r.server_seq,
      viewId: r.view_id,
      agentId: r.agent_id,
      customerId: r.customer_id,
      phoneMasked: r.phone_masked,
      purpose: r.purpose,
      callId: r.call_id,
      viewedAt: new Date(r.viewed_at).toISOString(),
      receivedAt: new Date(r.received_at).toISOString(),
    })),
    nextCursor: rows.at(-1)?.server_seq ?? query.after,
  };
}
