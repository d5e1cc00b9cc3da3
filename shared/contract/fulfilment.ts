// Orders created from accepted offers, for the operator's fulfilment systems.
import { z } from 'zod';
import { IsoDateTime } from './entities';

// GET /fulfilment/orders?after=&limit=   (admin): accepted offers for the back office.
export const FulfilmentOrder = z.object({
  orderId: z.number().int().positive(),
  outcomeId: z.string(),
  customerId: z.string().nullable(),
  offerId: z.string(),
  action: z.string(),
  planCode: z.string().nullable(),
  agentId: z.string(),
  status: z.enum(['pending', 'done', 'failed']),
  createdAt: IsoDateTime,
});
export type FulfilmentOrder = z.infer<typeof FulfilmentOrder>;
export const FulfilmentOrderQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const FulfilmentOrderList = z.object({ orders: z.array(FulfilmentOrder), nextCursor: z.number().int().nonnegative() });
