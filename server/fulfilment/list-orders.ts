import type { FulfilmentOrder } from '../../shared/contract/fulfilment';
import { FULFILMENT_ORDER_LOG, commitOrderHorizon } from '../db/commit-order';
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
  // Up to the commit-order horizon (server/db/commit-order.ts), read first: the cursor never passes an order still committing.
  const horizon = await commitOrderHorizon(db, FULFILMENT_ORDER_LOG);
  const rows = await db.query<OrderRow>(
    `SELECT id, outcome_id::text, customer_id, offer_id, action, plan_code, agent_id, status, created_at
     FROM fulfilment_orders WHERE id > $1 AND id <= $3 ORDER BY id LIMIT $2`,
    [after, limit, horizon],
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
