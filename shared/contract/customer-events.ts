// Events an agent logs during a call (a complaint, a network fault): facts created on the desk,
// uploaded through their own durable outbox, folded into the customer record by the server.
import { z } from 'zod';
import { IsoDateTime } from './entities';

export const CUSTOMER_EVENT_KINDS = ['complaint', 'network_issue'] as const;
export const CustomerEventKind = z.enum(CUSTOMER_EVENT_KINDS);
export type CustomerEventKind = z.infer<typeof CustomerEventKind>;

/** What a complaint is about, asked when it is logged. */
export const COMPLAINT_CATEGORIES = ['billing', 'network', 'service', 'other'] as const;
export const ComplaintCategory = z.enum(COMPLAINT_CATEGORIES);
export type ComplaintCategory = z.infer<typeof ComplaintCategory>;

export const CustomerEventDraft = z
  .object({
    customerId: z.string().min(1).max(64),
    callId: z.string().min(1).max(64).nullable().default(null),
    kind: CustomerEventKind,
    note: z.string().max(500).default(''),
    /** A complaint's category. Added later: events logged before it (and network faults) have none. */
    category: ComplaintCategory.nullable().optional(),
  })
  .strict()
  .refine((d) => d.category == null || d.kind === 'complaint', { message: 'only a complaint has a category', path: ['category'] });
export type CustomerEventDraft = z.infer<typeof CustomerEventDraft>;

export const CustomerEvent = z.object({
  eventId: z.uuid({ version: 'v7' }),
  deviceId: z.string().min(1).max(64),
  agentId: z.string().min(1).max(64),
  recordedAt: IsoDateTime,
  draft: CustomerEventDraft,
});
export type CustomerEvent = z.infer<typeof CustomerEvent>;

// POST /customer-events/batch
export const CUSTOMER_EVENT_BATCH_MAX = 200;
export const CustomerEventBatchRequest = z.object({
  deviceId: z.string().min(1).max(64),
  items: z.array(CustomerEvent).min(1).max(CUSTOMER_EVENT_BATCH_MAX),
});
export type CustomerEventBatchRequest = z.infer<typeof CustomerEventBatchRequest>;

export const CustomerEventResult = z.discriminatedUnion('status', [
  /**
   * Stored and folded into the customer row; the change with seq appliedAtSeq carries it, so the
   * desk keeps its local overlay of the event until its download cursor reaches that seq.
   */
  z.object({ eventId: z.string(), status: z.literal('accepted'), appliedAtSeq: z.number().int().positive() }),
  z.object({ eventId: z.string(), status: z.literal('duplicate'), appliedAtSeq: z.number().int().positive() }),
  z.object({ eventId: z.string(), status: z.literal('rejected'), code: z.string(), message: z.string() }),
]);
export type CustomerEventResult = z.infer<typeof CustomerEventResult>;
export const CustomerEventBatchResponse = z.object({ results: z.array(CustomerEventResult) });
export type CustomerEventBatchResponse = z.infer<typeof CustomerEventBatchResponse>;
