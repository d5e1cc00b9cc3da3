import type { FulfilmentOrder } from '../../shared/contract/fulfilment';
import type { SqlClient } from '../db/sql-client';

interface OrderRow {
  id: number;
  outcome_id: string;
  customer_id: string | null;
  offer_id: string;
  action: string;
  plan_code: string | null;
  agent_id: string;
  status: FulfilmentOrder['status'];
  created_at: Date | string;
}

/** Orders after the cursor (an order id), oldest first; nextCursor is the last id, or `after` on an empty page. */
export async function listFulfilmentOrders(db: SqlClient, after: number, limit: number): Promise<{ orders: FulfilmentOrder[]; nextCursor: number }> {
  const rows = await db.query<OrderRow>(
    `SELECT id, outcome_id::text, customer_id, offer_id, action, plan_code, agent_id, status, created_at
     FROM fulfilment_orders WHERE id > $1 ORDER BY id LIMIT $2`,
    [after, limit],
  );
  const orders = rows.map((r) => ({
    orderId: r.id,
    outcomeId: r.outcome_id,
    customerId: r.customer_id,
    offerId: r.offer_id,
    action: r.action,
    planCode: r.plan_code,
    agentId: r.agent_id,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
  }));
  return { orders, nextCursor: rows.at(-1)?.id ?? after };
}
