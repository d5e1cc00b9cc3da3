// Call outcomes: append-only facts created on the desk, uploaded through the outbox.
import { z } from 'zod';
import { IsoDateTime, LifecycleStage, MobileNumber, ValueTier, WarningLevel } from './entities';

export const OUTCOME_RESULTS = ['accepted', 'declined', 'callback', 'not_presented'] as const;
export const OutcomeResult = z.enum(OUTCOME_RESULTS);
export type OutcomeResult = z.infer<typeof OutcomeResult>;

export const CONTACT_CHANNELS = ['hotline', 'store', 'outbound'] as const;
export const ContactChannel = z.enum(CONTACT_CHANNELS);
export type ContactChannel = z.infer<typeof ContactChannel>;

export const DECLINE_REASONS = ['price', 'network', 'competitor', 'service', 'no_need', 'already_has', 'other'] as const;
export const DeclineReason = z.enum(DECLINE_REASONS);
export type DeclineReason = z.infer<typeof DeclineReason>;

export const NOT_PRESENTED_REASONS = ['customer_busy', 'not_relevant', 'service_issue_first', 'customer_hung_up', 'do_not_disturb', 'other'] as const;
export const NotPresentedReason = z.enum(NOT_PRESENTED_REASONS);
export type NotPresentedReason = z.infer<typeof NotPresentedReason>;

/**
 * What the card said about the customer and the offer when the outcome was recorded. The server
 * learns P(accept) per offer x segment from it and supervisors slice outcomes by it.
 */
export const OfferContext = z.object({
  modelVersion: z.string().min(1),
  stage: LifecycleStage,
  valueTier: ValueTier.nullable(),
  warningLevel: WarningLevel,
  churnProbability: z.number().min(0).max(1).nullable(),
  /** segmentOf(stage, valueTier) in shared/offers. */
  segment: z.string().min(1).max(32),
  /** The offer's place on the card (1 = best), null when no offer was presented. */
  rank: z.number().int().positive().nullable(),
  expectedValue: z.number().nullable(),
  pAccept: z.number().min(0).max(1).nullable(),
  /** True when Thompson sampling, not the posterior mean, put this offer where it was. */
  explored: z.boolean(),
  /** Value kept if a retention offer works: the customer's ARPU (yuan/month) at the time. */
  arpu3m: z.number().nonnegative().nullable(),
});
export type OfferContext = z.infer<typeof OfferContext>;

/** What the agent fills in; the desk adds identity, time and sync bookkeeping. */
export const OutcomeDraft = z
  .object({
    callId: z.string().min(1).max(64).nullable(),
    customerId: z.string().min(1).nullable(),
    phone: MobileNumber.nullable(),
    offerId: z.string().min(1).nullable(),
    result: OutcomeResult,
    note: z.string().max(500).default(''),
    channel: ContactChannel,
    callbackAt: IsoDateTime.nullable().default(null),
    declineReason: DeclineReason.nullable().default(null),
    notPresentedReason: NotPresentedReason.nullable().default(null),
    context: OfferContext.nullable().default(null),
  })
  .refine((d) => d.result !== 'callback' || d.callbackAt !== null, {
    message: 'a callback outcome needs callbackAt',
    path: ['callbackAt'],
  })
  .refine((d) => d.result === 'not_presented' || d.offerId !== null, {
    message: 'an offer outcome needs the offerId it is about',
    path: ['offerId'],
  })
  .refine((d) => (d.result === 'declined') === (d.declineReason !== null), {
    message: 'a declined outcome needs declineReason, and only a declined one has it',
    path: ['declineReason'],
  })
  .refine((d) => (d.result === 'not_presented') === (d.notPresentedReason !== null), {
    message: 'a not_presented outcome needs notPresentedReason, and only that one has it',
    path: ['notPresentedReason'],
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
