// Supervisor reports (retention KPIs, trend, uplift, experiments; the outcome table): computed by
// the central API in SQL, cached by the desk for offline viewing. The desk contract and the
// central API share these schemas.
import { z } from 'zod';
import { IsoDate, IsoDateTime, LifecycleStage, LocalizedText, OfferKind, ValueTier, WarningLevel } from './entities';
import { ContactChannel, OutcomeResult } from './outcomes';

const ReportQueryFields = z.object({
  from: IsoDate,
  to: IsoDate,
  /** A team id, or absent for every team the caller may see. */
  team: z.string().min(1).max(32).optional(),
});
const fromNotAfterTo = (q: { from: string; to: string }) => q.from <= q.to;
const FROM_AFTER_TO = { message: 'from must not be after to', path: ['from'] };

/** A period of whole days, both ends included (the operator's calendar days, UTC+8 in China). */
export const ReportQuery = ReportQueryFields.refine(fromNotAfterTo, FROM_AFTER_TO);
export type ReportQuery = z.infer<typeof ReportQuery>;

export const RateWithCounts = z.object({
  numerator: z.number().int().nonnegative(),
  denominator: z.number().int().nonnegative(),
  /** numerator / denominator, null when the denominator is 0. */
  rate: z.number().min(0).max(1).nullable(),
});
export type RateWithCounts = z.infer<typeof RateWithCounts>;

/** A warned customer's fate is known once this many days have passed since the contact (the save rate counts only those). */
export const SAVE_RATE_MIN_DAYS = 30;
/** Warning levels that make a customer "at risk" in the reports. */
export const WARNED_LEVELS = ['red', 'orange', 'yellow'] as const;

export const RetentionKpis = z.object({
  /** Distinct warned (red/orange/yellow at contact) customers contacted in the period. */
  atRiskContacted: z.number().int().nonnegative(),
  /** Warned customers contacted at least 30 days ago (so their fate is known) still active now. */
  saveRate: RateWithCounts,
  /** Contacts where an offer was presented (accepted/declined/callback) out of all contacts. */
  presentationRate: RateWithCounts,
  /** Accepted out of presented (accepted + declined). */
  acceptanceRate: RateWithCounts,
  /** Σ ARPU kept × expected months over accepted retention/win-back offers, yuan. */
  retainedRevenue: z.number().nonnegative(),
  expectedMonthsKept: z.number().positive(),
  /** Mean answered → ended seconds of the calls in the period, null without ended calls. */
  averageHandleSeconds: z.number().nonnegative().nullable(),
  contacts: z.number().int().nonnegative(),
});
export type RetentionKpis = z.infer<typeof RetentionKpis>;

export const TrendPoint = z.object({
  date: IsoDate,
  contacts: z.number().int().nonnegative(),
  presented: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  atRiskContacted: z.number().int().nonnegative(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

export const ChurnGroup = z.object({
  customers: z.number().int().nonnegative(),
  churned: z.number().int().nonnegative(),
  churnRate: z.number().min(0).max(1).nullable(),
});

/**
 * Warned customers contacted vs. not contacted in the period, and how many of each left. Descriptive
 * only: who got contacted differs from who did not, so this is not the effect of contacting them
 * (the programmes' randomised control groups measure that).
 */
export const Uplift = z.object({
  contacted: ChurnGroup,
  notContacted: ChurnGroup,
  /** notContacted.churnRate − contacted.churnRate (percentage points / 100), null when either is unknown. */
  uplift: z.number().nullable(),
});
export type Uplift = z.infer<typeof Uplift>;

export const ArmResult = z.object({
  offerId: z.string(),
  presented: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  /** Posterior mean of P(accept) (offer prior + outcomes). */
  rate: z.number().min(0).max(1),
  /** 95 % credible interval of P(accept). */
  interval: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
});
export type ArmResult = z.infer<typeof ArmResult>;

export const ExperimentResult = z.object({
  experimentId: z.string(),
  champion: ArmResult,
  challengers: z.array(ArmResult.extend({ probabilityBeatsChampion: z.number().min(0).max(1) })),
});
export type ExperimentResult = z.infer<typeof ExperimentResult>;

/**
 * Offer id -> its catalogue name (withdrawn offers included), so a report shows names, never ids.
 * Defaults to empty for a report a desk cached before reports carried names.
 */
export const OfferNames = z.record(z.string(), LocalizedText).default({});
export type OfferNames = z.infer<typeof OfferNames>;

/** Days after assignment at which a programme's churn is compared. */
export const PROGRAMME_WINDOWS_DAYS = [30, 60, 90] as const;

const Interval = z.tuple([z.number(), z.number()]);

/** Treated vs control churn of the customers assigned at least `days` ago (exempt customers left out of both). */
export const ProgrammeWindow = z.object({
  days: z.number().int().positive(),
  treated: ChurnGroup,
  control: ChurnGroup,
  /** control − treated churn rate: churn the programme prevented (share of customers), null without both groups. */
  difference: z.number().nullable(),
  /** 95 % interval of the difference (Newcombe's hybrid score interval). */
  interval: Interval.nullable(),
  /** Posterior P(treated churn < control churn), Beta(1, 1) priors on both rates. */
  probabilityHelps: z.number().min(0).max(1).nullable(),
  /** Both groups hold at least PROGRAMME_MIN_GROUP customers whose window has passed. */
  enoughData: z.boolean(),
});
export type ProgrammeWindow = z.infer<typeof ProgrammeWindow>;

/** What the programme is worth, over the treated customers of the longest window with enough data. */
export const ProgrammeValue = z.object({
  days: z.number().int().positive(),
  /** difference × treated customers, with its 95 % interval. */
  customersKept: z.number(),
  customersKeptInterval: Interval,
  /** Mean monthly ARPU of the treated customers, yuan. */
  arpu: z.number().nonnegative(),
  /** customersKept × ARPU × expected months kept, yuan. */
  revenueKept: z.number(),
  /** Offers granted and contacts made to the treated customers in the window, yuan. */
  cost: z.number().nonnegative(),
  netValue: z.number(),
  netValueInterval: Interval,
});
export type ProgrammeValue = z.infer<typeof ProgrammeValue>;

export const ProgrammeEffect = z.object({
  programmeId: z.string(),
  controlShare: z.number().min(0).max(1),
  offerIds: z.array(z.string()),
  /** Customers assigned so far: each group, and those an ethical limit kept from being held out. */
  assigned: z.object({ treated: z.number().int().nonnegative(), control: z.number().int().nonnegative(), exempt: z.number().int().nonnegative() }),
  windows: z.array(ProgrammeWindow),
  /** Null until some window has enough data. */
  value: ProgrammeValue.nullable(),
  minimumGroup: z.number().int().positive(),
  expectedMonthsKept: z.number().positive(),
});
export type ProgrammeEffect = z.infer<typeof ProgrammeEffect>;

export const RetentionReport = z.object({
  query: z.object({ from: IsoDate, to: IsoDate, team: z.string().nullable() }),
  generatedAt: IsoDateTime,
  kpis: RetentionKpis,
  trend: z.array(TrendPoint),
  uplift: Uplift,
  experiments: z.array(ExperimentResult),
  /**
   * The randomised retention programmes, book-wide and up to now (not the period's or a team's: the
   * control group is nobody's contacts). Defaults to empty for a report a desk cached before.
   */
  programmes: z.array(ProgrammeEffect).default([]),
  offerNames: OfferNames,
});
export type RetentionReport = z.infer<typeof RetentionReport>;

/** One outcome as the supervisor table shows it; numbers masked for the supervisor's role. */
export const OutcomeReportRow = z.object({
  outcomeId: z.string(),
  recordedAt: IsoDateTime,
  agentId: z.string(),
  team: z.string().nullable(),
  channel: ContactChannel,
  customerId: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  stage: LifecycleStage.nullable(),
  valueTier: ValueTier.nullable(),
  warningLevel: WarningLevel.nullable(),
  segment: z.string().nullable(),
  offerId: z.string().nullable(),
  offerKind: OfferKind.nullable(),
  result: OutcomeResult,
  /** declineReason or notPresentedReason, as recorded. */
  reason: z.string().nullable(),
  expectedValue: z.number().nullable(),
  /** ARPU kept × expected months for an accepted retention / win-back offer, else 0. */
  retainedRevenue: z.number().nonnegative(),
});
export type OutcomeReportRow = z.infer<typeof OutcomeReportRow>;

/** The most rows a desk shows of one period (its table is virtualized up to this many); it pages up to them. */
export const OUTCOME_REPORT_MAX_ROWS = 100_000;
/** Rows per page of GET /reports/outcomes: the default, and the most a page may ask for. */
export const OUTCOME_REPORT_PAGE_ROWS = 10_000;
export const OUTCOME_REPORT_PAGE_MAX_ROWS = 50_000;

/** Where a page of the outcome report continues: the last row's recording instant (microseconds, UTC) and server sequence. */
export const OutcomeReportCursor = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z~\d{1,18}$/, 'a nextCursor as a previous page gave it');

/** A period's outcomes, newest first, a page at a time (keyset paging: a page is as fast at the end as at the start). */
export const OutcomeReportQuery = ReportQueryFields.extend({
  /** The nextCursor of the page before; absent for the first (newest) page. */
  after: OutcomeReportCursor.optional(),
  limit: z.coerce.number().int().min(1).max(OUTCOME_REPORT_PAGE_MAX_ROWS).default(OUTCOME_REPORT_PAGE_ROWS),
}).refine(fromNotAfterTo, FROM_AFTER_TO);
export type OutcomeReportQuery = z.input<typeof OutcomeReportQuery>;

export const OutcomeReport = z.object({
  query: z.object({ from: IsoDate, to: IsoDate, team: z.string().nullable() }),
  generatedAt: IsoDateTime,
  rows: z.array(OutcomeReportRow),
  /** True when rows of the period were left out: a desk stops following pages at OUTCOME_REPORT_MAX_ROWS (the newest are kept). */
  truncated: z.boolean(),
  /** The `after` of the next (older) page; null (or absent, in a report a desk cached before pages) on the period's last page. */
  nextCursor: OutcomeReportCursor.nullable().optional(),
  offerNames: OfferNames,
});
export type OutcomeReport = z.infer<typeof OutcomeReport>;
