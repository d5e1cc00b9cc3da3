// The one API between the renderer and the desk backend. Two transports carry it unchanged:
// Electron IPC (preload bridge) and HTTP/WebSocket (browser mode). Inputs are untrusted on both.
import { z } from 'zod';
import { ExperimentArm, IsoDateTime, LifecycleStage, LocalizedText, OfferKind, ObjectionKind, Reason, RfmScore, ValueTier, WarningLevel } from './entities';
import { CtiCallEvent, Role } from './central-api';
import { ContactChannel, DeclineReason, NotPresentedReason, OutcomeDraft, OutcomeResult } from './outcomes';
import { OutcomeReport, ReportQuery, RetentionReport } from './supervisor-reports';
import { ModelMonitoringQuery, ModelMonitoringReport } from './model-registry';
import { CardPurpose } from './card-view-audit';
import { CustomerEventDraft } from './customer-events';
import { isMobileNumber, NOT_A_MOBILE_NUMBER } from '../domain/phone';
import { ContactHours } from '../domain/contact-hours';
import { RevealIdNumberInput, RevealIdNumberOutput } from './id-check';
import { UnsentDecision } from './desks';

export const Session = z.object({
  agentId: z.string(),
  role: Role,
  displayName: z.string(),
  team: z.string().nullable(),
  expiresAt: IsoDateTime,
  /** When customers may be called back or called out (the operator's, from the central API at login). */
  contactHours: ContactHours,
});
export type Session = z.infer<typeof Session>;

export const SyncStatus = z.object({
  online: z.boolean(),
  /** Download cursor: the server change seq the cache has applied up to. */
  cursor: z.number().int().nonnegative(),
  lastSyncAt: IsoDateTime.nullable(),
  outboxPending: z.number().int().nonnegative(),
  outboxDead: z.number().int().nonnegative(),
  oldestPendingAt: IsoDateTime.nullable(),
  customersCached: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const RenderedScript = z.object({
  opening: z.string(),
  pitch: z.string(),
  /** Ordered with the objections the customer's churn reasons predict first (likely = true). */
  objections: z.array(z.object({ kind: ObjectionKind, answer: z.string(), likely: z.boolean() })),
});
export type RenderedScript = z.infer<typeof RenderedScript>;

export const CardOffer = z.object({
  offerId: z.string(),
  kind: OfferKind,
  name: LocalizedText,
  /** P(accept) × (value − cost) − contact cost, yuan, with P(accept) the posterior mean. */
  expectedValue: z.number(),
  /** Posterior mean of P(accept | this customer's segment). */
  pAccept: z.number().min(0).max(1),
  /** What an acceptance is worth (fixed, or the customer's value at risk), yuan. */
  value: z.number(),
  cost: z.number(),
  contactCost: z.number(),
  /** True when the Thompson draw, not the posterior mean, put the offer in its place. */
  explored: z.boolean(),
  experiment: ExperimentArm.nullable(),
  why: z.array(Reason),
  /** Rendered in both languages so the agent can switch mid-call without a round trip. */
  script: z.object({ zh: RenderedScript, en: RenderedScript }),
});
export type CardOffer = z.infer<typeof CardOffer>;

export const CardOutcome = z.object({
  outcomeId: z.string(),
  recordedAt: IsoDateTime,
  result: OutcomeResult,
  offerId: z.string().nullable(),
  /** The offer's catalogue name, set by the card builder (the card shows names, never offer ids). */
  offerName: LocalizedText.nullable().optional(),
  channel: ContactChannel,
  note: z.string(),
  /** pending: still in the outbox; synced: the server acknowledged it; dead: rejected, see sync status. */
  syncState: z.enum(['pending', 'synced', 'dead']),
});
export type CardOutcome = z.infer<typeof CardOutcome>;

export const CustomerCard = z.object({
  kind: z.enum(['known', 'prospect']),
  /** Where the card came from: the desk cache (when absent), or the central API on a miss outside the desk's cache scope. */
  source: z.enum(['cache', 'server']).optional(),
  /** The number as looked up, masked for display. */
  phoneMasked: z.string(),
  customer: z
    .object({
      id: z.string(),
      name: z.string(),
      planName: LocalizedText,
      monthlyFee: z.number(),
      tenureMonths: z.number().int().nonnegative(),
      status: z.enum(['active', 'churned']),
      contractEnd: z.string().nullable(),
      idNumberMasked: z.string(),
    })
    .nullable(),
  assessment: z.object({
    modelVersion: z.string(),
    stage: LifecycleStage,
    stageReasons: z.array(Reason),
    valueTier: ValueTier.nullable(),
    clv: z.number().nullable(),
    arpu3m: z.number().nullable(),
    rfm: RfmScore.nullable(),
    personalKeyCustomer: z.boolean(),
    churnProbability: z.number().nullable(),
    warningLevel: WarningLevel,
    topReasons: z.array(Reason),
  }),
  /** segmentOf(stage, valueTier): the key P(accept) is learned under. */
  segment: z.string(),
  /**
   * The card's recommendation: retain (a retention offer pays), let_go (none pays: a care action
   * instead), grow (up-/cross-sell), win_back, acquire (prospect), care, or none (nothing eligible).
   */
  decision: z.object({
    kind: z.enum(['retain', 'let_go', 'grow', 'win_back', 'acquire', 'care', 'none']),
    reasons: z.array(Reason),
  }),
  offers: z.array(CardOffer),
  /** Eligible offers the contact policy held back, with the rule that did. */
  suppressed: z.array(z.object({ offerId: z.string(), name: LocalizedText, reason: Reason })),
  recentOutcomes: z.array(CardOutcome),
});
export type CustomerCard = z.infer<typeof CustomerCard>;

const empty = z.object({}).strict();

export const SearchMatch = z.object({
  customerId: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  idNumberMasked: z.string(),
  planName: LocalizedText,
  status: z.enum(['active', 'churned']),
  matchedOn: z.enum(['phone', 'id_number', 'name', 'name_fuzzy', 'pinyin']),
});
export type SearchMatch = z.infer<typeof SearchMatch>;
export const SEARCH_MAX_MATCHES = 20;

/** What the queue shows of a customer's best offer: enough to present it as the card does (care as care, with its cost). */
export const OutboundBestOffer = CardOffer.pick({ offerId: true, kind: true, name: true, expectedValue: true, cost: true, contactCost: true });
export type OutboundBestOffer = z.infer<typeof OutboundBestOffer>;

export const OutboundQueueItem = z.object({
  customerId: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  slot: z.enum(['callback', 'at_risk']),
  callbackAt: IsoDateTime.nullable(),
  /** A callback whose time has passed: the customer is waiting for it. */
  overdue: z.boolean(),
  stage: LifecycleStage,
  warningLevel: WarningLevel,
  churnProbability: z.number().nullable(),
  valueTier: ValueTier.nullable(),
  /** The best offer's expected value (0 without an offer): what the contact is expected to be worth, yuan; the queue's order. */
  expectedValue: z.number(),
  bestOffer: OutboundBestOffer.nullable(),
});
export type OutboundQueueItem = z.infer<typeof OutboundQueueItem>;
export const OutboundQueue = z.object({
  items: z.array(OutboundQueueItem),
  generatedAt: IsoDateTime,
  /** Set when the central API could not be reached and the last fetched queue is shown. */
  cachedAt: IsoDateTime.nullable(),
});
export type OutboundQueue = z.infer<typeof OutboundQueue>;

/**
 * An open interaction: a call (rung in, or dialled from the outbound queue) whose outcome is not
 * saved yet. It lives in the desk cache from the moment it rings until an outcome is saved or the
 * agent discards it explicitly, so a second call, a reload or a desk restart never loses it.
 */
export const INTERACTION_STATES = ['ringing', 'talking', 'wrap_up'] as const;
export const InteractionState = z.enum(INTERACTION_STATES);
export type InteractionState = z.infer<typeof InteractionState>;

/** What the agent has typed for the outcome so far, kept exactly as typed (checked only when saved). */
export const InteractionDraft = z
  .object({
    result: OutcomeResult.nullable(),
    note: z.string().max(500),
    /** The value of an <input type="datetime-local">: local wall-clock time, no zone, maybe half typed. */
    callbackAt: z.string().max(32),
    declineReason: DeclineReason.nullable(),
    notPresentedReason: NotPresentedReason.nullable(),
    /** The offer being presented, when the agent switched away from the best one. */
    chosenOfferId: z.string().max(64).nullable(),
  })
  .strict();
export type InteractionDraft = z.infer<typeof InteractionDraft>;
export const EMPTY_INTERACTION_DRAFT: InteractionDraft = {
  result: null,
  note: '',
  callbackAt: '',
  declineReason: null,
  notPresentedReason: null,
  chosenOfferId: null,
};

const InteractionId = z.string().min(1).max(64);

/** Where browser mode's company sign-in brings the page back to (the central API adds `code` and `username`, or `error`). */
export const COMPANY_SIGN_IN_RETURN = '/?return=company-sign-in';

/** Where company sign-in stands after `session/companySignIn`. */
export const CompanySignInStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('signedIn'), session: Session }),
  /** Browser mode: the page goes to `url` (the central API, then the IdP) and comes back with a hand-off code. */
  z.object({ kind: z.literal('navigate'), url: z.string().url() }),
]);
export type CompanySignInStep = z.infer<typeof CompanySignInStep>;

/** How the interaction's card is looked up again: the caller's number (an empty one is withheld) or the dialled customer. */
export const InteractionRequest = z.discriminatedUnion('by', [
  z.object({ by: z.literal('phone'), phone: z.string().max(32), callId: InteractionId, source: z.literal('call') }).strict(),
  z.object({ by: z.literal('customer'), customerId: z.string().min(1).max(64), callId: z.null(), source: z.literal('outbound') }).strict(),
]);
export type InteractionRequest = z.infer<typeof InteractionRequest>;

export const OpenInteraction = z.object({
  /** The CTI call id for a call that rang in; a desk-made id for an outbound call. */
  interactionId: InteractionId,
  request: InteractionRequest,
  /** The card as it was shown, so it comes back after a reload without a lookup; null until one was built. */
  card: CustomerCard.nullable(),
  state: InteractionState,
  openedAt: IsoDateTime,
  /** When the call ended and the wrap-up began (null while ringing or talking). */
  wrapUpStartedAt: IsoDateTime.nullable(),
  draft: InteractionDraft,
});
export type OpenInteraction = z.infer<typeof OpenInteraction>;

/**
 * Operation name -> input and output schemas. The backend implements exactly these;
 * the bridge allowlists exactly these names.
 */
export const deskContract = {
  'session/login': {
    input: z.union([
      z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
      // Company sign-in's last step: the hand-off code the central API sent the browser back with, and the username
      // beside it (the desk refuses a code that signs in someone else).
      z.object({ username: z.string().min(1).max(64), companySignInCode: z.string().min(32).max(256) }).strict(),
    ]),
    output: Session,
  },
  'session/logout': { input: empty, output: z.object({ ok: z.literal(true) }) },
  'session/current': { input: empty, output: Session.nullable() },
  /** What the login screen offers besides username and password (asked of the central API). */
  'session/signInOptions': { input: empty, output: z.object({ companySignIn: z.boolean() }) },
  /**
   * Starts company sign-in (the operator's OpenID provider). The desk host runs it: Electron in the system
   * browser, answering once signed in; browser mode answers where to send the page, which comes back with a code.
   */
  'session/companySignIn': { input: empty, output: CompanySignInStep },
  'card/byPhone': {
    input: z
      .object({
        phone: z.string().min(1).max(32),
        callId: z.string().max(64).nullable().default(null),
        /** Why the card is opened: audit-logged (all but refresh) with who and when. */
        purpose: CardPurpose.default('lookup'),
      })
      .strict()
      // A ringing call's number may be a landline or withheld (a prospect card); a number typed to look up must be a mobile.
      .refine((q) => q.purpose !== 'lookup' || isMobileNumber(q.phone), { message: NOT_A_MOBILE_NUMBER, path: ['phone'] }),
    output: CustomerCard,
  },
  'card/byCustomer': {
    input: z.object({ customerId: z.string().min(1).max(64), callId: z.string().max(64).nullable().default(null), purpose: CardPurpose }).strict(),
    output: CustomerCard,
  },
  /** Store counter: phone (prefix), ID number (full, or its last 4+ characters) or name (prefix, then fuzzy). */
  'customer/search': {
    input: z.object({ query: z.string().trim().min(1).max(64) }).strict(),
    output: z.object({ matches: z.array(SearchMatch), truncated: z.boolean() }),
  },
  /** Store counter: the whole ID number, after the clerk confirmed checking the ID card; audit-logged. Store role only. */
  'customer/revealIdNumber': { input: RevealIdNumberInput, output: RevealIdNumberOutput },
  /** The agent's outbound retention queue: due callbacks first, then at-risk customers by expected value of contact. */
  'outbound/queue': { input: empty, output: OutboundQueue },
  /** Supervisor KPIs for a period; the last answer is cached and served offline, marked as such. */
  'reports/retention': { input: ReportQuery, output: z.object({ report: RetentionReport, cachedAt: IsoDateTime.nullable() }) },
  'reports/outcomes': { input: ReportQuery, output: z.object({ report: OutcomeReport, cachedAt: IsoDateTime.nullable() }) },
  /** The churn models in production (realised performance, drift, shadow challenger); cached like the other reports. */
  'reports/models': { input: ModelMonitoringQuery.strict(), output: z.object({ report: ModelMonitoringReport, cachedAt: IsoDateTime.nullable() }) },
  /**
   * Logs a complaint or network fault during a call: stored with its upload in one transaction,
   * and the card comes back re-scored at once with the synced scoring bundle.
   */
  'customer/logEvent': { input: CustomerEventDraft, output: CustomerCard },
  /**
   * Records an outcome through the outbox; with interactionId it also closes that open interaction,
   * in the same SQLite transaction (never one without the other).
   */
  'outcome/record': {
    input: OutcomeDraft.safeExtend({ interactionId: InteractionId.nullable().default(null) }),
    output: z.object({ outcomeId: z.string(), outboxPending: z.number().int().nonnegative() }),
  },
  /** The signed-in agent's open interactions, oldest first: what the desk shows again after a reload. */
  'interaction/list': { input: empty, output: z.object({ interactions: z.array(OpenInteraction) }) },
  /**
   * Opens an interaction for a card the renderer put on screen (an outbound call, a ringing call
   * whose card the desk could not send): created if new, given the card if it had none; an
   * existing one keeps its state and draft.
   */
  'interaction/open': {
    input: z.object({ interactionId: InteractionId, request: InteractionRequest, card: CustomerCard }).strict(),
    output: OpenInteraction,
  },
  /** Saves what the agent typed so far (the whole draft, last write wins). */
  'interaction/saveDraft': {
    input: z.object({ interactionId: InteractionId, draft: InteractionDraft }).strict(),
    output: z.object({ savedAt: IsoDateTime }),
  },
  /** The agent says an outbound call (which has no CTI events) has ended: its wrap-up begins. */
  'interaction/endCall': { input: z.object({ interactionId: InteractionId }).strict(), output: OpenInteraction },
  /**
   * Closes an interaction without an outcome. Only on the agent's explicit confirmation, and
   * audit-logged with who, when, why and the draft as it was.
   */
  'interaction/discard': {
    input: z.object({ interactionId: InteractionId, confirmed: z.literal(true), reason: z.string().trim().max(200).default('') }).strict(),
    output: z.object({ discardId: z.string() }),
  },
  'sync/status': { input: empty, output: SyncStatus },
  'sync/now': { input: empty, output: SyncStatus },
} as const;

export type DeskContract = typeof deskContract;
export type DeskOperation = keyof DeskContract;
export type DeskInput<C extends DeskOperation> = z.input<DeskContract[C]['input']>;
export type DeskOutput<C extends DeskOperation> = z.infer<DeskContract[C]['output']>;
export const DESK_OPERATIONS = Object.keys(deskContract) as DeskOperation[];

export function isDeskOperation(name: unknown): name is DeskOperation {
  return typeof name === 'string' && Object.hasOwn(deskContract, name);
}

/** Events the backend pushes to the renderer. */
export const DeskEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    event: CtiCallEvent,
    at: IsoDateTime,
    /**
     * For a ringing call, the caller's card, built (and audit-logged) by the desk as the push
     * arrived, so the screen pops without a round trip. Absent when it could not be built: the
     * renderer then asks card/byPhone itself.
     */
    card: CustomerCard.optional(),
  }),
  z.object({ type: z.literal('sync'), status: SyncStatus }),
  z.object({
    type: z.literal('session'),
    session: Session.nullable(),
    /** Why the backend ended the session under the agent, when the screen should say so: an administrator revoked this desk. */
    ended: z.object({ reason: z.literal('desk_revoked'), unsent: UnsentDecision }).optional(),
  }),
]);
export type DeskEvent = z.infer<typeof DeskEvent>;

/** What every transport returns: errors travel as values, never as thrown transport failures. */
export const DESK_ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'offline',
  /** The card asked for is not in this desk's cache (outside its scope) and the central API cannot be reached to fetch it. */
  'offline_miss',
  /** The card asked for by customer id is not in this desk's cache and the central API has no such customer either. */
  'not_found_on_server',
  'cache_unavailable',
  'too_many_desks',
  /** An administrator revoked this desk (a lost laptop): it erased its copy of the book and may not sign in. */
  'desk_revoked',
  'internal',
] as const;
export const DeskErrorCode = z.enum(DESK_ERROR_CODES);
export type DeskErrorCode = z.infer<typeof DeskErrorCode>;
/** Why the local cache cannot be used (db/cache/cache-unavailable-error.ts); the file is always left untouched. */
export const CACHE_UNAVAILABLE_REASONS = ['not_a_database', 'corrupt', 'future_version', 'cannot_open', 'wrong_key'] as const;
export const CacheUnavailableReason = z.enum(CACHE_UNAVAILABLE_REASONS);
export type CacheUnavailableReason = z.infer<typeof CacheUnavailableReason>;
export const DeskFailure = z.object({
  code: DeskErrorCode,
  message: z.string(),
  /** With too_many_desks: how many users' desks the browser-mode host serves at once (its --max-desks). */
  deskLimit: z.number().int().positive().optional(),
  /** With cache_unavailable: why, so the screen can say what to do. */
  cacheReason: CacheUnavailableReason.optional(),
});
export type DeskFailure = z.infer<typeof DeskFailure>;
export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskFailure };

/** The object the preload exposes as `window.clmDesk`. */
export interface DeskBridge {
  invoke(channel: DeskOperation, input: unknown): Promise<DeskResult<unknown>>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}
