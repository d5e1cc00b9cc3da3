// The audit of who opened which customer's card, when and why: recorded on the desks, uploaded
// in batches, listed for supervisors. Discarded interactions are audited beside it (interaction-audit.ts).
import { z } from 'zod';
import { IsoDateTime } from './entities';
import { ID_CHECK_PURPOSE } from './id-check';

// POST /audit/card-views   (every desk role): who looked at which customer, when and why.
export const CARD_PURPOSES = ['call', 'lookup', 'search', 'outbound', 'refresh'] as const;
export const CardPurpose = z.enum(CARD_PURPOSES);
export type CardPurpose = z.infer<typeof CardPurpose>;

export const CardViewAudit = z.object({
  viewId: z.uuid({ version: 'v7' }),
  agentId: z.string().min(1).max(64),
  customerId: z.string().min(1).nullable(),
  /** The number looked up, masked (never stored in clear in the audit log). */
  phoneMasked: z.string().max(32).nullable(),
  /** Why: the card opened for a call, lookup, search or outbound call, or a whole ID number shown after an identity check. */
  purpose: z.enum([...CardPurpose.exclude(['refresh']).options, ID_CHECK_PURPOSE] as const),
  callId: z.string().min(1).max(64).nullable(),
  viewedAt: IsoDateTime,
});
export type CardViewAudit = z.infer<typeof CardViewAudit>;
export const AUDIT_BATCH_MAX = 500;
export const CardViewAuditBatch = z.object({ deviceId: z.string().min(1).max(64), items: z.array(CardViewAudit).min(1).max(AUDIT_BATCH_MAX) });
export type CardViewAuditBatch = z.infer<typeof CardViewAuditBatch>;
export const CardViewAuditAccepted = z.object({ stored: z.number().int().nonnegative(), duplicates: z.number().int().nonnegative() });

// GET /audit/card-views?customerId=&after=&limit=   (supervisor, admin)
export const CardViewAuditQuery = z.object({
  customerId: z.string().min(1).optional(),
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const StoredCardViewAudit = CardViewAudit.extend({ serverSeq: z.number().int().positive(), receivedAt: IsoDateTime });
export const CardViewAuditList = z.object({ views: z.array(StoredCardViewAudit), nextCursor: z.number().int().nonnegative() });
export type CardViewAuditList = z.infer<typeof CardViewAuditList>;
