// The central API's HTTP/WebSocket contract. The server validates with these schemas
// (fastify-type-provider-zod, which also feeds OpenAPI) and the desk parses responses with them.
import { z } from 'zod';
import { ContactHistory, Customer, CustomerScore, CustomerUsage, IsoDateTime, Offer, OfferStats, SyncEntity } from './entities';
import { Outcome, OutcomeId } from './outcomes';

export const ROLES = ['agent', 'store', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: z.string(),
  role: Role,
  displayName: z.string(),
  /** The team an agent works in and a supervisor leads; null for admins and unassigned staff. */
  team: z.string().nullable(),
});
export type User = z.infer<typeof User>;

/** Every 4xx/5xx body. `issues` lists the fields that failed validation. */
export const ApiError = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

// POST /auth/login
export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
export const LoginResponse = z.object({ token: z.string(), expiresAt: IsoDateTime, user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

// GET /sync/changes?after=<cursor>&limit=<n>   (Authorization: Bearer <token>)
export const SYNC_PAGE_MAX = 5000;
export const SyncChangesQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(SYNC_PAGE_MAX).default(1000),
});
export type SyncChangesQuery = z.infer<typeof SyncChangesQuery>;

const changeBase = { seq: z.number().int().positive(), id: z.string().min(1), version: z.number().int().positive() };
const SyncUpsert = z.discriminatedUnion('entity', [
  z.object({ ...changeBase, op: z.literal('upsert'), entity: z.literal('customer'), data: Customer }),
  z.object({ ...changeBase, op: z.literal('upsert'), entity: z.literal('score'), data: CustomerScore }),
  z.object({ ...changeBase, op: z.literal('upsert'), entity: z.literal('offer'), data: Offer }),
  z.object({ ...changeBase, op: z.literal('upsert'), entity: z.literal('offer_stats'), data: OfferStats }),
  z.object({ ...changeBase, op: z.literal('upsert'), entity: z.literal('contact_history'), data: ContactHistory }),
  z.object({ ...changeBase, op: z.literal('upsert'), entity: z.literal('usage'), data: CustomerUsage }),
]);
const SyncDelete = z.object({ ...changeBase, op: z.literal('delete'), entity: SyncEntity });
/** One change: a tombstone for any entity, or an upsert whose data is typed by its entity. */
export const SyncChange = z.discriminatedUnion('op', [SyncDelete, SyncUpsert]);
export type SyncChange = z.infer<typeof SyncChange>;

export const SyncChangesResponse = z.object({
  changes: z.array(SyncChange),
  /** Seq of the last change in this page, or `after` when the page is empty. Only ever grows. */
  nextCursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type SyncChangesResponse = z.infer<typeof SyncChangesResponse>;

// GET /sync/snapshot?entity=<e>&afterKey=<key>&limit=<n>: bootstrap of an empty desk cache.
// The desk walks every entity in SYNC_ENTITIES order, range by range, then continues with the
// change feed after the FIRST page's safeCursor: every change up to it is reflected in the rows
// (or in newer versions of them), and anything later arrives through the feed, version-gated.
export const SNAPSHOT_PAGE_MAX = 20_000;
export const SyncSnapshotQuery = z.object({
  entity: SyncEntity,
  afterKey: z.string().max(128).default(''),
  limit: z.coerce.number().int().min(1).max(SNAPSHOT_PAGE_MAX).default(10_000),
});
export type SyncSnapshotQuery = z.infer<typeof SyncSnapshotQuery>;
export const SyncSnapshotResponse = z.object({
  entity: SyncEntity,
  /** The highest change seq committed when the page was read. */
  safeCursor: z.number().int().nonnegative(),
  /**
   * [key, version, document as JSON text] in key order. The documents are the ones the change
   * log validated on write (as the feed serves them), kept as text so the desk stores them as is.
   */
  rows: z.array(z.tuple([z.string(), z.number().int().positive(), z.string()])),
  /** The last key of this page (afterKey of the next request). */
  nextKey: z.string(),
  hasMore: z.boolean(),
});
export type SyncSnapshotResponse = z.infer<typeof SyncSnapshotResponse>;

// POST /outcomes/batch
export const OUTCOME_BATCH_MAX = 200;
export const OutcomeBatchRequest = z.object({
  deviceId: z.string().min(1).max(64),
  items: z.array(Outcome).min(1).max(OUTCOME_BATCH_MAX),
});
export type OutcomeBatchRequest = z.infer<typeof OutcomeBatchRequest>;

export const OutcomeItemResult = z.discriminatedUnion('status', [
  z.object({ outcomeId: OutcomeId, status: z.literal('accepted') }),
  z.object({ outcomeId: OutcomeId, status: z.literal('duplicate') }),
  z.object({ outcomeId: OutcomeId, status: z.literal('rejected'), code: z.string(), message: z.string() }),
]);
export type OutcomeItemResult = z.infer<typeof OutcomeItemResult>;

export const OutcomeBatchResponse = z.object({
  results: z.array(OutcomeItemResult),
  /** Highest clientSeq of this device the server has committed (Replicache's lastMutationID). */
  lastAppliedClientSeq: z.number().int().nonnegative(),
});
export type OutcomeBatchResponse = z.infer<typeof OutcomeBatchResponse>;

// GET /outcomes?after=<serverSeq>&limit=<n>   (supervisor/admin): outcomes as the server stored them
export const StoredOutcome = Outcome.extend({ serverSeq: z.number().int().positive(), receivedAt: IsoDateTime });
export type StoredOutcome = z.infer<typeof StoredOutcome>;
export const OutcomeListQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const OutcomeListResponse = z.object({ outcomes: z.array(StoredOutcome), nextCursor: z.number().int().nonnegative() });
export type OutcomeListResponse = z.infer<typeof OutcomeListResponse>;

// POST /cti/calls   (from the telephony platform, header X-CTI-Key; 202 once published to all instances)
export const CTI_EVENTS = ['offered', 'answered', 'ended'] as const;
export const CtiEventKind = z.enum(CTI_EVENTS);
export const CtiCallEvent = z.object({
  callId: z.string().min(1).max(64),
  /** Caller number as the switch delivers it; may be non-mobile or withheld. */
  ani: z.string().max(32),
  agentId: z.string().min(1).max(64),
  event: CtiEventKind,
});
export type CtiCallEvent = z.infer<typeof CtiCallEvent>;
export const CtiCallAccepted = z.object({ callId: z.string(), accepted: z.literal(true) });

/**
 * GET /cti/stream is a WebSocket (token in the `Sec-WebSocket-Protocol` header as
 * `bearer.<token>`, or `?token=`). The server pushes one JSON message per event for the
 * logged-in agent.
 */
export const CtiPush = z.object({ type: z.literal('call'), event: CtiCallEvent, at: IsoDateTime });
export type CtiPush = z.infer<typeof CtiPush>;

/**
 * GET /scoring/bundle   (every role): the ScoringBundle (shared/analytics/scoring-bundle.ts) desks
 * re-score one customer with, published by every batch scoring run (seed, `clm score`).
 * Answers 200 with header `ETag: "<version>"`; a request with `If-None-Match: "<version>"` (quoted
 * or not) that still matches answers 304 with no body; before the book was first scored, 404
 * ApiError `not_scored`. A version names one content for good: cache by it.
 *
 * POST /customer-events/batch   (agent, store, supervisor): CustomerEventBatchRequest →
 * CustomerEventBatchResponse (shared/contract/customer-events.ts). Each new event is folded into
 * its customer and the customer re-scored with the current bundle, committed before the answer;
 * appliedAtSeq is the highest change seq those writes took (GET /sync/changes brings them). Item
 * rejections: 'device_mismatch', 'agent_mismatch' (not the caller), 'unknown_customer'.
 */
