// What newly stored outcomes teach: their customers' contact histories and their offers' stats,
// both synced tables the desks pull.
//
// Every upload presenting an offer rewrote that offer's stats row, so concurrent uploads queued on
// a handful of rows until each other's commits; and every upload writing a synced table NOTIFYs
// the desks at commit, which PostgreSQL serialises (one commit at a time, each waiting for its own
// WAL flush). So one transaction learns at a time, the holder of a transaction-scoped advisory lock.
// An upload stores its outcomes' keys in outcomes_to_learn (migration 0020) in the statement that
// stores them (record_outcome_batch, migrations 0026, 0027) and tries the lock there without waiting: when
// no one held it, the upload learns, before it answers, in a transaction of its own that claims
// (deletes) every row left to learn and writes what they teach; otherwise it commits without
// touching a synced table and the learner under way, the next upload or the timer takes its rows.
// A learner that dies half-way rolls back whole: no outcome is learned twice or not at all. Every
// API instance shares the lock, and each learns what is left every LEARNING_INTERVAL_MS, so an idle
// spell after a busy one leaves nothing behind. Unloaded, every upload learns: what it teaches is
// written before it is answered.
import type { Outcome } from '../../shared/contract/outcomes';
import { OUTCOME_LEARNING_LOCK } from '../db/advisory-locks';
import type { SqlClient } from '../db/sql-client';
import { appendContacts } from './contact-history';
import { countOfferPresentations } from './offer-stats';

/** How often an instance learns from outcomes no upload learned from. */
export const LEARNING_INTERVAL_MS = 2_000;

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

// Every row this transaction sees committed; the lock keeps any other learner out until commit.
const CLAIM_LEFT_TO_LEARN = `WITH claimed AS (DELETE FROM outcomes_to_learn RETURNING outcome_id, recorded_at, stored_at)
  SELECT ${payloadOfKey('c')} AS payload, c.stored_at AS "storedAt"
  FROM claimed c`;

const ANY_LEFT_TO_LEARN = `SELECT EXISTS (SELECT 1 FROM outcomes_to_learn) AS pending`;

/**
 * Learns from the `claimed` outcomes inside the caller's transaction, which holds the lock. The
 * latest storing time among them dates the offer-stat counts and prunes the contact histories, as
 * the last upload's own learning would have.
 */
async function learnClaimed(tx: SqlClient, claimed: readonly ClaimedOutcome[]): Promise<void> {
  if (claimed.length === 0) return;
  const all = claimed.flatMap((c) => (c.payload === null ? [] : [c.payload]));
  const latest = new Date(Math.max(...claimed.map((c) => new Date(c.storedAt).getTime())));
  await appendContacts(tx, all, latest);
  await countOfferPresentations(tx, all, latest);
}

const learnWhatIsLeft = async (tx: SqlClient) => learnClaimed(tx, await tx.query<ClaimedOutcome>(CLAIM_LEFT_TO_LEARN));

/**
 * Learns from every outcome left to learn, inside the caller's transaction, after any learner
 * under way has committed: for a reader that must see every count, and for the tests.
 */
export async function learnLeftOvers(tx: SqlClient): Promise<void> {
  await tx.query(WAIT_TO_LEARN);
  await learnWhatIsLeft(tx);
}

/** Learns every outcome left to learn in a transaction of its own, unless another learner holds the lock (it or the next turn takes them). */
export async function learnUnlessBusy(db: SqlClient): Promise<void> {
  await db.transaction(async (tx) => {
    const [lock] = await tx.query<{ learning: boolean }>(TRY_TO_LEARN);
    if (lock?.learning === true) await learnWhatIsLeft(tx);
  });
}

/** The timer's turn: nothing to do when nothing is left. */
async function learnLeftOversUnlessBusy(db: SqlClient): Promise<void> {
  const [row] = await db.query<{ pending: boolean }>(ANY_LEFT_TO_LEARN);
  if (row?.pending === true) await learnUnlessBusy(db);
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
