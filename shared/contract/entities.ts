// The records that flow down from the central API to the desk cache.
// Types are inferred from these schemas; nothing else declares their shape.
import { z } from 'zod';

export const MobileNumber = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'a mainland mobile number has 11 digits and starts with 13-19');

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
export const IsoDateTime = z.iso.datetime({ offset: true });

export const LIFECYCLE_STAGES = ['prospect', 'A', 'B', 'C', 'D', 'E'] as const;
export const LifecycleStage = z.enum(LIFECYCLE_STAGES);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export const VALUE_TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;
export const ValueTier = z.enum(VALUE_TIERS);
export type ValueTier = z.infer<typeof ValueTier>;

export const WARNING_LEVELS = ['red', 'orange', 'yellow', 'none'] as const;
export const WarningLevel = z.enum(WARNING_LEVELS);
export type WarningLevel = z.infer<typeof WarningLevel>;

/** Text shown to people in both interface languages. */
export const LocalizedText = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type LocalizedText = z.infer<typeof LocalizedText>;

/**
 * A machine-readable explanation ("ARPU down 23% over 3 months"): a code the renderer
 * translates (i18n key `reason.<code>`) with the numbers it needs.
 */
export const Reason = z.object({
  code: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type Reason = z.infer<typeof Reason>;

const monthlySeries = z.array(z.number().nonnegative()).length(12);

export const Customer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  phone: MobileNumber,
  /** Resident ID number (synthetic in the demo book); masked before display. */
  idNumber: z.string().min(15).max(18),
  planCode: z.string().min(1),
  planName: LocalizedText,
  monthlyFee: z.number().nonnegative(),
  joinDate: IsoDate,
  contractEnd: IsoDate.nullable(),
  status: z.enum(['active', 'churned']),
  churnDate: IsoDate.nullable(),
  /** Oldest first; the last element is the latest complete month. Yuan. */
  arpu: monthlySeries,
  dataUsageGb: monthlySeries,
  voiceMinutes: monthlySeries,
  complaints30d: z.number().int().nonnegative(),
  complaints90d: z.number().int().nonnegative(),
  networkIssues90d: z.number().int().nonnegative(),
  marketingConsent: z.boolean(),
  doNotDisturb: z.boolean(),
  version: z.number().int().positive(),
});
export type Customer = z.infer<typeof Customer>;

const quintile = z.number().int().min(1).max(5);
export const RfmScore = z.object({ r: quintile, f: quintile, m: quintile });
export type RfmScore = z.infer<typeof RfmScore>;

export const CustomerScore = z.object({
  customerId: z.string().min(1),
  version: z.number().int().positive(),
  /** Which rules or model produced this score, e.g. "placeholder-rules-1". */
  modelVersion: z.string().min(1),
  stage: LifecycleStage,
  stageReasons: z.array(Reason),
  valueTier: ValueTier,
  clv: z.number(),
  arpu3m: z.number().nonnegative(),
  /** Recency, frequency, monetary quintile scores (1–5) against the whole book. */
  rfm: RfmScore.nullable().default(null),
  /** Personal key customer (个人大客户): dual-track management and the points scheme. */
  personalKeyCustomer: z.boolean().default(false),
  churnProbability: z.number().min(0).max(1),
  warningLevel: WarningLevel,
  topReasons: z.array(Reason).max(5),
  scoredAt: IsoDateTime,
});
export type CustomerScore = z.infer<typeof CustomerScore>;

export const OFFER_KINDS = ['retention', 'upsell', 'crosssell', 'winback', 'care', 'acquisition'] as const;
export const OfferKind = z.enum(OFFER_KINDS);
export type OfferKind = z.infer<typeof OfferKind>;

export const OBJECTION_KINDS = ['price', 'network', 'competitor', 'service', 'not_interested'] as const;
export const ObjectionKind = z.enum(OBJECTION_KINDS);
export type ObjectionKind = z.infer<typeof ObjectionKind>;

/**
 * A script line with {placeholders} filled from the customer's facts
 * (see shared/domain/script-template.ts for the names it knows).
 */
export const OfferScript = z.object({
  opening: LocalizedText,
  pitch: LocalizedText,
  objections: z.array(z.object({ kind: ObjectionKind, answer: LocalizedText })),
});
export type OfferScript = z.infer<typeof OfferScript>;

export const Offer = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  kind: OfferKind,
  name: LocalizedText,
  /** Stages this offer is meant for; the placeholder arbitration only looks at this. */
  stages: z.array(LifecycleStage).min(1),
  valueYuan: z.number(),
  costYuan: z.number().nonnegative(),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
  script: OfferScript,
});
export type Offer = z.infer<typeof Offer>;

export const SYNC_ENTITIES = ['customer', 'score', 'offer'] as const;
export const SyncEntity = z.enum(SYNC_ENTITIES);
export type SyncEntity = z.infer<typeof SyncEntity>;
