// An agent's outbound call list as the central API answers it (the desk ranks and caches it).
import { z } from 'zod';
import { IsoDateTime } from './entities';

// GET /outbound/queue   (agent): the caller's outbound retention candidates and due callbacks.
export const OutboundCandidate = z.object({
  customerId: z.string(),
  slot: z.enum(['callback', 'at_risk']),
  /** When the customer asked to be called back (slot callback). */
  callbackAt: IsoDateTime.nullable(),
  /** churn probability × CLV at the last scoring, yuan: the server's pre-ranking. */
  valueAtRisk: z.number(),
  lastContactAt: IsoDateTime.nullable(),
});
export type OutboundCandidate = z.infer<typeof OutboundCandidate>;
export const OUTBOUND_QUEUE_MAX = 200;
export const OutboundQueueResponse = z.object({
  generatedAt: IsoDateTime,
  candidates: z.array(OutboundCandidate).max(OUTBOUND_QUEUE_MAX),
});
export type OutboundQueueResponse = z.infer<typeof OutboundQueueResponse>;
