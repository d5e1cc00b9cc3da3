// What newly stored outcomes teach: their customers' contact histories and their offers' stats,
// both synced tables the desks pull.
//
// Every upload presenting an offer rewrote that offer's stats row, so concurrent uploads queued on
// a handful of rows until each other's commits; and every upload writing a synced table NOTIFYs
// the desks at commit, which PostgreSQL serialises (one commit at a time, each waiting for its own
// WAL flush). So one transaction learns at a time, the holder of a transaction-scoped advisory lock
// that uploads try without waiting: an upload that gets it learns from its own outcomes and from
// every outcome left to learn; one that does not appends its outcomes' keys to outcomes_to_learn
// (migration 0020) and commits without touching a synced table. A learner claims (deletes) those
// rows and writes what they teach in one transaction, so a learner that dies half-way rolls back
// whole: no outcome is learned twice or not at all. Every API instance shares the lock, and each
// learns what is left every LEARNING_INTERVAL_MS, so an idle spell after a busy one leaves nothing
// behind. Unloaded, every upload gets the lock: what it teaches is written before it is answered.
import type { Outcome } from '../../shared/contract/outcomes';
import { OUTCOME_LEARNING_LOCK } from '../db/advisory-locks';
import type { SqlClient } from '../db/sql-client';
import { appendContacts } from './contact-history';
import { countOfferPresentations } from './offer-stats';

/** How often an instance learns from outcomes no upload learned from. */
export const LEARNING_INTERVAL_MS = 2_000;

/**
 * What an upload's insert statement (record-batch.ts) adds to learn or leave its outcomes in the
 * same round trip. The CTEs read the statement's CTE `inserted` (outcome_id, recorded_at) of the
 * outcomes it stored: `learning` tries the lock when it stored any; when another transaction holds
 * it, `left_to_learn` queues them, dated `storedAt` (a parameter); when this one gets it, `claimed`
 * takes every outcome left to learn. Claiming in the statement's snapshot, taken before the lock, is
 * safe: a row a learner claimed and committed meanwhile is gone when the delete reaches it (so it is
 * skipped), and a row queued meanwhile is not seen and stays for the next learner.
 */
export const learnOrLeaveCtes = (storedAt: string) => `learning AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN pg_try_advisory_xact_lock(${OUTCOME_LEARNING_LOCK}) ELSE false END AS learning),
  left_to_learn AS (
    INSERT INTO outcomes_to_learn (outcome_id, recorded_at, stored_at)
    SELECT outcome_id, recorded_at, ${storedAt} FROM inserted WHERE NOT (SELECT learning FROM learning)),
  claimed AS (
    DELETE FROM outcomes_to_learn WHERE (SELECT learning FROM learning) RETURNING outcome_id, recorded_at, stored_at)`;

/**
 * The insert statement's columns from learnOrLeaveCtes: `learning`, and `claimed` as a JSON array of
 * ClaimedKey (JSON keeps the timestamps' microseconds). Only the keys: fetching each claimed payload
 * here made the planner cost the statement by the queue's size, past the JIT threshold (100 ms of
 * compiling per upload while the queue was long).
 */
export const LEARNING_COLUMNS = `(SELECT learning FROM learning) AS learning,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('outcomeId', outcome_id, 'recordedAt', recorded_at, 'storedAt', stored_at)), '[]')
   FROM claimed) AS claimed`;

/** An outcome an upload's statement claimed from the queue (LEARNING_COLUMNS). */
export interface ClaimedKey {
  outcomeId: string;
  recordedAt: string;
  storedAt: string;
}

/** An outcome taken from the queue to learn from; its payload is null when it is gone meanwhile (its month past retention and dropped). */
export interface ClaimedOutcome {
  payload: Outcome | null;
  storedAt: Date | string;
}

const WAIT_TO_LEARN = `SELECT pg_advisory_xact_lock(${OUTCOME_LEARNING_LOCK})`;
const TRY_TO_LEARN = `SELECT pg_try_advisory_xact_lock(${OUTCOME_LEARNING_LOCK}) AS learning`;

// Each outcome is fetched by its key (one month's primary key), not joined: a join was planned as a
// hash over a scan of every month.
const payloadOfKey = (key: string) => `(SELECT o.payload FROM outcomes o WHERE o.outcome_id = ${key}.outcome_id AND o.recorded_at = ${key}.recorded_at)`;

const PAYLOADS_OF_KEYS = `SELECT ${payloadOfKey('k')} AS payload,
  k.stored_at AS "storedAt"
  FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS k(outcome_id, recorded_at, stored_at)`;

/** The claimed outcomes with their payloads: a second statement only when the upload's statement claimed any. */
export const claimedOutcomes = async (tx: SqlClient, keys: readonly ClaimedKey[]): Promise<ClaimedOutcome[]> =>
  keys.length === 0
    ? []
    : tx.query<ClaimedOutcome>(PAYLOADS_OF_KEYS, [keys.map((k) => k.outcomeId), keys.map((k) => k.recordedAt), keys.map((k) => k.storedAt)]);

// Every row this transaction sees committed; the lock keeps any other learner out until commit.
const CLAIM_LEFT_TO_LEARN = `WITH claimed AS (DELETE FROM outcomes_to_learn RETURNING outcome_id, recorded_at, stored_at)
  SELECT ${payloadOfKey('c')} AS payload, c.stored_at AS "storedAt"
  FROM claimed c`;

const ANY_LEFT_TO_LEARN = `SELECT EXISTS (SELECT 1 FROM outcomes_to_learn) AS pending`;

/**
 * Learns from `outcomes` (stored at `now`, not yet learned from) and from the `claimed` outcomes
 * left to learn, inside the caller's transaction, which holds the lock. `now` becomes the latest
 * storing time among them: it dates the offer-stat counts and prunes the contact histories, as the
 * last upload's own learning would have.
 */
export async function learnWithClaimed(tx: SqlClient, outcomes: readonly Outcome[], now: Date | null, claimed: readonly ClaimedOutcome[]): Promise<void> {
  const storedTimes = [...(now === null ? [] : [now.getTime()]), ...claimed.map((c) => new Date(c.storedAt).getTime())];
  if (storedTimes.length === 0) return;
  const all = [...outcomes, ...claimed.flatMap((c) => (c.payload === null ? [] : [c.payload]))];
  const latest = new Date(Math.max(...storedTimes));
  await appendContacts(tx, all, latest);
  await countOfferPresentations(tx, all, latest);
}

const learnWhatIsLeft = async (tx: SqlClient) => learnWithClaimed(tx, [], null, await tx.query<ClaimedOutcome>(CLAIM_LEFT_TO_LEARN));

/**
 * Learns from every outcome left to learn, inside the caller's transaction, after any learner
 * under way has committed: for a reader that must see every count, and for the tests.
 */
export async function learnLeftOvers(tx: SqlClient): Promise<void> {
  await tx.query(WAIT_TO_LEARN);
  await learnWhatIsLeft(tx);
}

/** The timer's turn: nothing to do when nothing is left, nor while another learner holds the lock (it or the next turn takes them). */
async function learnLeftOversUnlessBusy(db: SqlClient): Promise<void> {
  const [row] = await db.query<{ pending: boolean }>(ANY_LEFT_TO_LEARN);
  if (row?.pending !== true) return;
  await db.transaction(async (tx) => {
    const [lock] = await tx.query<{ learning: boolean }>(TRY_TO_LEARN);
    if (lock?.learning === true) await learnWhatIsLeft(tx);
  });
}

/** Learns what uploads left every LEARNING_INTERVAL_MS until stopped; a failure is logged and tried again at the next turn. */
export function scheduleLearning(db: SqlClient, log: { error(message: string): void }): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= learnLeftOversUnlessBusy(db)
      .catch((error: unknown) => log.error(`learning from stored outcomes failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (running = null));
  }, LEARNING_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
