// An agent's outbound call list as the central API answers it (the desk ranks and caches it).
import { z } from 'zod';
import { IsoDateTime, LifecycleStage, ValueTier, WarningLevel } from './entities';

/**
 * What a desk lists for a candidate its cache does not hold (outside its team's cache scope, or not
 * synced yet): from the customer's latest score, masked as on a card. Listing is not viewing: the
 * card, and its audit row, come when the agent opens it (GET /cards/by-customer/:customerId).
 */
export const OutboundListing = z.object({
  name: z.string(),
  phoneMasked: z.string(),
  stage: LifecycleStage,
  warningLevel: WarningLevel,
  churnProbability: z.number(),
  valueTier: ValueTier,
});
export type OutboundListing = z.infer<typeof OutboundListing>;

// GET /outbound/queue   (agent): the caller's outbound retention candidates and due callbacks.
export const OutboundCandidate = z.object({
  customerId: z.string(),
  slot: z.enum(['callback', 'at_risk']),
  /** When the customer asked to be called back (slot callback). */
  callbackAt: IsoDateTime.nullable(),
  /** churn probability × CLV at the last scoring, yuan: the server's pre-ranking. */
  valueAtRisk: z.number(),
  lastContactAt: IsoDateTime.nullable(),
  /** Sent with every scored candidate (a callback may be for a customer never scored). */
  listing: OutboundListing.optional(),
});
export type OutboundCandidate = z.infer<typeof OutboundCandidate>;
export const OUTBOUND_QUEUE_MAX = 200;
export const OutboundQueueResponse = z.object({
  generatedAt: IsoDateTime,
  candidates: z.array(OutboundCandidate).max(OUTBOUND_QUEUE_MAX),
});
export type OutboundQueueResponse = z.infer<typeof OutboundQueueResponse>;
