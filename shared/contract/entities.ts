// The records that flow down from the central API to the desk cache.
// Types are inferred from these schemas; nothing else declares their shape.
import { z } from 'zod';
import { EligibilityRule } from './offer-rules';
import { RetentionProgramme } from './retention-programmes';

export const MobileNumber = z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number has 11 digits and starts with 13-19');

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

/** Experiment arms: a challenger offer is tried against the champion it may replace. */
export const ExperimentArm = z.object({
  /** Offers that share an experiment id compete; exactly one should be the champion. */
  id: z.string().min(1),
  arm: z.enum(['champion', 'challenger']),
});
export type ExperimentArm = z.infer<typeof ExperimentArm>;

export const FULFILMENT_ACTIONS = ['plan_change', 'add_bundle', 'bill_credit', 'contract_extension', 'device_order', 'service_ticket', 'none'] as const;

export const Offer = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  kind: OfferKind,
  name: LocalizedText,
  /** Who may be offered this: a declarative rule (shared/contract/offer-rules.ts), never code. */
  eligibility: EligibilityRule,
  /**
   * What an acceptance is worth to the operator, yuan. 'fixed': valueYuan (extra margin of an
   * up-sell over its horizon, a win-back's first year). 'customer_value': the customer's own value
   * at risk (retention: churn probability × CLV; the card says so), and valueYuan is ignored.
   */
  valueBasis: z.enum(['fixed', 'customer_value']),
  valueYuan: z.number().nonnegative(),
  /** What granting the offer costs when accepted (discount, bonus, subsidy), yuan. */
  costYuan: z.number().nonnegative(),
  /** What presenting it costs whether or not it is accepted (handle time), yuan. */
  contactCostYuan: z.number().nonnegative(),
  /** Beta prior of P(accept) before any outcome is seen (alpha = prior accepts, beta = prior declines). */
  priorAcceptance: z.object({ alpha: z.number().positive(), beta: z.number().positive() }),
  experiment: ExperimentArm.nullable(),
  /** The retention programme whose control group is held out of this offer (retention offers only). */
  programme: RetentionProgramme.nullable().optional(),
  contactPolicy: z.object({
    /** Not presented again to the same customer within this many days of the last presentation. */
    cooldownDays: z.number().int().nonnegative(),
    /** Marketing offers need the customer's consent; care and retention service offers may not. */
    requiresMarketingConsent: z.boolean(),
    /** Whether the offer may be made to a do-not-disturb customer who calls in (never outbound). */
    allowedWhenDoNotDisturb: z.boolean(),
  }),
  /** What the back office does when the customer accepts (recorded as a fulfilment order). */
  fulfilment: z.object({
    action: z.enum(FULFILMENT_ACTIONS),
    /** The plan moved to, for plan_change. */
    planCode: z.string().min(1).nullable(),
  }),
  validFrom: IsoDate,
  validTo: IsoDate.nullable(),
  script: OfferScript,
});
export type Offer = z.infer<typeof Offer>;

/**
 * The acceptance counts the server learns from synced outcomes, per offer and customer segment
 * (segmentOf in shared/offers): presented = accepted + declined.
 */
export const OfferStats = z.object({
  offerId: z.string().min(1),
  version: z.number().int().positive(),
  segments: z.record(z.string(), z.object({ presented: z.number().int().nonnegative(), accepted: z.number().int().nonnegative() })),
  updatedAt: IsoDateTime,
});
export type OfferStats = z.infer<typeof OfferStats>;

export const CONTACT_HISTORY_DAYS = 90;
export const CONTACT_HISTORY_MAX = 20;

/** A customer's recent contacts across every desk (newest first), for the contact policy. */
export const ContactHistory = z.object({
  customerId: z.string().min(1),
  version: z.number().int().positive(),
  contacts: z
    .array(
      z.object({
        outcomeId: z.string(),
        offerId: z.string().nullable(),
        result: z.enum(['accepted', 'declined', 'callback', 'not_presented']),
        channel: z.enum(['hotline', 'store', 'outbound']),
        agentId: z.string(),
        at: IsoDateTime,
      }),
    )
    .max(CONTACT_HISTORY_MAX),
});
export type ContactHistory = z.infer<typeof ContactHistory>;

/**
 * A customer's monthly bills for the 12 months ending with `endMonth`, oldest first (a month without
 * a bill is 0), synced as its own compact row: a month close re-versions this row, not the customer
 * document. Where it exists it replaces the document's monthly series (shared/analytics/usage-window.ts).
 */
export const CustomerUsage = z.object({
  customerId: z.string().min(1),
  version: z.number().int().positive(),
  endMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM'),
  arpu: monthlySeries,
  dataGb: monthlySeries,
  voiceMinutes: monthlySeries,
  sms: z.array(z.number().int().nonnegative()).length(12),
});
export type CustomerUsage = z.infer<typeof CustomerUsage>;

export const SYNC_ENTITIES = ['customer', 'score', 'offer', 'offer_stats', 'contact_history', 'usage'] as const;
export const SyncEntity = z.enum(SYNC_ENTITIES);
export type SyncEntity = z.infer<typeof SyncEntity>;
