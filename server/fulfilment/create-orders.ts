// Accepted offers become fulfilment orders for the back office, one per outcome, carrying the
// offer's fulfilment action as it stood when the outcome was stored.
import type { Offer } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import { announceWriter, FULFILMENT_ORDER_LOG } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';

export type OfferFulfilment = Offer['fulfilment'];

const INSERT_ORDERS = `INSERT INTO fulfilment_orders (outcome_id, customer_id, offer_id, action, plan_code, agent_id)
  SELECT (o->>'outcomeId')::uuid, o->>'customerId', o->>'offerId', o->>'action', o->>'planCode', o->>'agentId'
  FROM jsonb_array_elements($1::jsonb) AS o
  ON CONFLICT (outcome_id) DO NOTHING`;

/**
 * Inserts an order for each accepted outcome whose offer has something to fulfil (action 'none'
 * has nothing for the back office). Run inside the outcome batch's transaction; a batch with orders
 * announces itself to the order log first (server/db/commit-order.ts), so the back office's cursor
 * never passes an order still committing, and a batch without any takes no order id and announces nothing.
 */
export async function createFulfilmentOrders(tx: SqlClient, outcomes: readonly Outcome[], fulfilmentOf: ReadonlyMap<string, OfferFulfilment>): Promise<void> {
  const orders = outcomes.flatMap((o) => {
    const fulfilment = o.draft.result === 'accepted' && o.draft.offerId !== null ? fulfilmentOf.get(o.draft.offerId) : undefined;
    if (fulfilment === undefined || fulfilment.action === 'none') return [];
    return [{ outcomeId: o.outcomeId, customerId: o.draft.customerId, offerId: o.draft.offerId, agentId: o.agentId, ...fulfilment }];
  });
  if (orders.length === 0) return;
  await announceWriter(tx, FULFILMENT_ORDER_LOG);
  await tx.query(INSERT_ORDERS, [JSON.stringify(orders)]);
}
