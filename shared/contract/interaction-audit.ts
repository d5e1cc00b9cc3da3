// POST /audit/interaction-discards (every desk role) and GET (supervisor, admin): the open calls
// an agent closed without an outcome, with the reason and the draft as it was when thrown away.
import { z } from 'zod';
import { IsoDateTime } from './entities';
import { InteractionDraft, InteractionState } from './desk-api';
import { AUDIT_BATCH_MAX } from './card-view-audit';

export const InteractionDiscard = z.object({
  discardId: z.uuid({ version: 'v7' }),
  interactionId: z.string().min(1).max(64),
  agentId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64).nullable(),
  callId: z.string().min(1).max(64).nullable(),
  /** The caller's number, masked (never sent or stored in clear). */
  phoneMasked: z.string().max(32).nullable(),
  state: InteractionState,
  openedAt: IsoDateTime,
  reason: z.string().max(500),
  draft: InteractionDraft,
  discardedAt: IsoDateTime,
});
export type InteractionDiscard = z.infer<typeof InteractionDiscard>;
export const InteractionDiscardBatch = z.object({
  deviceId: z.string().min(1).max(64),
  items: z.array(InteractionDiscard).min(1).max(AUDIT_BATCH_MAX),
});
export type InteractionDiscardBatch = z.infer<typeof InteractionDiscardBatch>;

// GET /audit/interaction-discards?agentId=&after=&limit=
export const InteractionDiscardQuery = z.object({
  agentId: z.string().min(1).max(64).optional(),
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const StoredInteractionDiscard = InteractionDiscard.extend({ serverSeq: z.number().int().positive(), receivedAt: IsoDateTime });
export const InteractionDiscardList = z.object({ discards: z.array(StoredInteractionDiscard), nextCursor: z.number().int().nonnegative() });
export type InteractionDiscardList = z.infer<typeof InteractionDiscardList>;
