// The learning loop's counts: per offer and customer segment, how often it was presented
// (accepted + declined) and accepted. Desks pull them (offer_stats) and update their Beta priors.
//
// Every upload presenting an offer adds to that offer's row, and rewriting the row in each upload
// made concurrent uploads queue on a handful of rows until each other's commits. So an upload
// folds its counts into offer_stats itself only when no fold is under way (a transaction-scoped
// advisory lock taken without waiting); otherwise it appends them to offer_stat_increments
// (migration 0020), insert-only, and the fold under way or the next one moves them in. A fold
// claims and deletes the increments and rewrites the rows in one transaction, so a fold that dies
// half-way rolls back whole: no count lost or counted twice. One fold at a time across every API
// instance: they share the lock. An upload that was not the folder leaves its counts to the next
// fold: the next upload that finds the lock free, or the timer here (FOLD_INTERVAL_MS).
import type { OfferStats } from '../../shared/contract/entities';
import type { Outcome } from '../../shared/contract/outcomes';
import { OFFER_STATS_FOLD_LOCK } from '../db/advisory-locks';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLogKeys, upsertOfferStats } from '../sync/change-log';

/**
 * Outcomes without a context (desks older than the offer context, or a card without an
 * assessment) still count, under this segment: the offer's pooled counts stay complete, and no
 * real segment is credited with a customer it never saw.
 */
export const UNKNOWN_SEGMENT = '*';

/** How often an instance folds increments that no upload has folded (an idle spell after a busy one). */
export const FOLD_INTERVAL_MS = 2_000;

/** Counts to add to one segment of one offer, as of `countedAt`. */
interface Increment {
  offerId: string;
  segment: string;
  presented: number;
  accepted: number;
  countedAt: string;
}

const TRY_FOLD_LOCK = `SELECT pg_try_advisory_xact_lock(${OFFER_STATS_FOLD_LOCK}) AS folding`;
const WAIT_FOR_FOLD_LOCK = `SELECT pg_advisory_xact_lock(${OFFER_STATS_FOLD_LOCK})`;

const APPEND_INCREMENTS = `INSERT INTO offer_stat_increments (offer_id, segment, presented, accepted, counted_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamptz[])`;

// Every increment this transaction sees committed; the fold lock keeps any other fold out until commit.
const CLAIM_INCREMENTS = `WITH claimed AS (DELETE FROM offer_stat_increments RETURNING *)
  SELECT offer_id AS "offerId", segment, sum(presented)::int AS presented, sum(accepted)::int AS accepted,
    to_char(max(counted_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "countedAt"
  FROM claimed GROUP BY offer_id, segment`;

const SELECT_STATS = `SELECT data FROM offer_stats WHERE NOT deleted AND offer_id IN (SELECT jsonb_array_elements_text($1::jsonb))`;

const HAS_INCREMENTS = `SELECT EXISTS (SELECT 1 FROM offer_stat_increments) AS pending`;

function incrementsOf(outcomes: readonly Outcome[], now: Date): Increment[] {
  const bySegment = new Map<string, Increment>();
  for (const { draft } of outcomes) {
    // Only a presented offer teaches anything: callbacks and not_presented are not counted.
    if (draft.offerId === null || (draft.result !== 'accepted' && draft.result !== 'declined')) continue;
    const segment = draft.context?.segment ?? UNKNOWN_SEGMENT;
    const key = JSON.stringify([draft.offerId, segment]);
    const counts = bySegment.get(key) ?? { offerId: draft.offerId, segment, presented: 0, accepted: 0, countedAt: now.toISOString() };
    bySegment.set(key, { ...counts, presented: counts.presented + 1, accepted: counts.accepted + (draft.result === 'accepted' ? 1 : 0) });
  }
  return [...bySegment.values()];
}

/** Adds `increments` to the offers' rows (read, summed, rewritten through the change log); the caller holds the fold lock. */
async function addToOfferStats(tx: SqlClient, increments: readonly Increment[]): Promise<void> {
  if (increments.length === 0) return;
  const offerIds = [...new Set(increments.map((i) => i.offerId))];
  await lockChangeLogKeys(tx, 'offer_stats', offerIds);
  const rows = await tx.query<{ data: OfferStats }>(SELECT_STATS, [JSON.stringify(offerIds)]);
  const updated = new Map(rows.map((r) => [r.data.offerId, r.data]));
  for (const { offerId, segment, presented, accepted, countedAt } of increments) {
    const stats = updated.get(offerId) ?? { offerId, version: 1, segments: {}, updatedAt: countedAt };
    const counts = stats.segments[segment] ?? { presented: 0, accepted: 0 };
    updated.set(offerId, {
      ...stats,
      segments: { ...stats.segments, [segment]: { presented: counts.presented + presented, accepted: counts.accepted + accepted } },
      updatedAt: countedAt > stats.updatedAt ? countedAt : stats.updatedAt,
    });
  }
  await upsertOfferStats(
    tx,
    offerIds.map((id) => updated.get(id)!),
  );
}

/** Moves every pending increment into offer_stats, inside the caller's transaction, which holds the fold lock. */
async function foldPending(tx: SqlClient, alsoAdd: readonly Increment[] = []): Promise<void> {
  const claimed = await tx.query<Increment>(CLAIM_INCREMENTS);
  await addToOfferStats(tx, [...claimed, ...alsoAdd]);
}

/**
 * Adds newly stored outcomes to the offers' counts, inside the caller's transaction: into
 * offer_stats with every pending increment when no fold is under way, else as increments.
 * `now` dates the counts (offer_stats' updatedAt).
 */
export async function countOfferPresentations(tx: SqlClient, outcomes: readonly Outcome[], now: Date): Promise<void> {
  const increments = incrementsOf(outcomes, now);
  if (increments.length === 0) return;
  const [lock] = await tx.query<{ folding: boolean }>(TRY_FOLD_LOCK);
  if (lock?.folding === true) return foldPending(tx, increments);
  await tx.query(APPEND_INCREMENTS, [
    increments.map((i) => i.offerId),
    increments.map((i) => i.segment),
    increments.map((i) => i.presented),
    increments.map((i) => i.accepted),
    increments.map((i) => i.countedAt),
  ]);
}

/**
 * Folds every increment committed so far into offer_stats, inside the caller's transaction
 * (waiting for a fold under way elsewhere to commit first). For readers that must see every
 * count (a test, a report run) and for the crash tests.
 */
export async function foldOfferStats(tx: SqlClient): Promise<void> {
  await tx.query(WAIT_FOR_FOLD_LOCK);
  await foldPending(tx);
}

/** The timer's fold: nothing to do when nothing is pending or another fold is under way (it or the next tick takes them). */
async function foldIfPending(db: SqlClient): Promise<void> {
  const [row] = await db.query<{ pending: boolean }>(HAS_INCREMENTS);
  if (row?.pending !== true) return;
  await db.transaction(async (tx) => {
    const [lock] = await tx.query<{ folding: boolean }>(TRY_FOLD_LOCK);
    if (lock?.folding === true) await foldPending(tx);
  });
}

/** Folds left-over increments every FOLD_INTERVAL_MS until stopped; a failed fold is logged and retried at the next tick. */
export function scheduleOfferStatsFold(db: SqlClient, log: { error(message: string): void }): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= foldIfPending(db)
      .catch((error: unknown) => log.error(`offer stats fold failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (running = null));
  }, FOLD_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
