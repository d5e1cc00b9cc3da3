// Call outcomes: append-only facts created on the desk, uploaded through the outbox.
import { z } from 'zod';
import { IsoDateTime, MobileNumber } from './entities';

export const OUTCOME_RESULTS = ['accepted', 'declined', 'callback', 'not_presented'] as const;
export const OutcomeResult = z.enum(OUTCOME_RESULTS);
export type OutcomeResult = z.infer<typeof OutcomeResult>;

export const CHANNELS = ['hotline', 'store', 'outbound'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** What the agent fills in; the desk adds identity, time and sync bookkeeping. */
export const OutcomeDraft = z
  .object({
    callId: z.string().min(1).max(64).nullable(),
    customerId: z.string().min(1).nullable(),
    phone: MobileNumber.nullable(),
    offerId: z.string().min(1).nullable(),
    result: OutcomeResult,
    note: z.string().max(500).default(''),
    channel: Channel,
    callbackAt: IsoDateTime.nullable().default(null),
  })
  .refine((d) => d.result !== 'callback' || d.callbackAt !== null, {
    message: 'a callback outcome needs callbackAt',
    path: ['callbackAt'],
  })
  .refine((d) => d.result === 'not_presented' || d.offerId !== null, {
    message: 'an offer outcome needs the offerId it is about',
    path: ['offerId'],
  });
export type OutcomeDraft = z.infer<typeof OutcomeDraft>;

/** UUIDv7: time-ordered, created on the desk, the idempotency key end to end. */
export const OutcomeId = z.uuid({ version: 'v7' });

export const Outcome = z.object({
  outcomeId: OutcomeId,
  deviceId: z.string().min(1).max(64),
  /** Per-device, strictly increasing; lets the server report how far it has applied. */
  clientSeq: z.number().int().positive(),
  agentId: z.string().min(1),
  recordedAt: IsoDateTime,
  draft: OutcomeDraft,
});
export type Outcome = z.infer<typeof Outcome>;
