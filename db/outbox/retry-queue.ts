// The machinery every desk upload queue shares (outcomes, card-view audit rows, customer events):
// a table of (seq, key, payload, attempts, next_attempt_at, last_error) drained oldest first, where
// a failed upload reschedules its rows with backoff and later rows wait behind a backing-off head.
// Every row belongs to the agent who recorded it (its payload's agentId) and a queue is drained one
// agent at a time: the rows of others are left alone, and each agent's rows wait only behind that
// agent's head.
import type { CacheDb } from '../cache/open-cache';
import { OUTBOX_BACKOFF, backoffDelayMs, type BackoffPolicy } from './backoff';

export interface QueuedRow {
  key: string;
  payload: string;
}

export interface RetryQueue {
  /** Queues one row, due at once. Call inside the transaction that writes the fact it uploads. */
  enqueue(key: string, payload: string, dueAtMs: number): void;
  /** The oldest `limit` rows `agentId` recorded, or none while the oldest of them is backing off. */
  takeDue(agentId: string, limit: number, nowMs: number): QueuedRow[];
  /** Time the oldest row `agentId` recorded becomes due, or null when none of theirs waits. */
  nextDueAt(agentId: string): number | null;
  /** Removes a row, returning its payload (undefined when it had already left). */
  remove(key: string): string | undefined;
  /** Counts an attempt on each row and reschedules it with backoff. Runs in its own transaction. */
  recordFailedAttempt(keys: readonly string[], error: string, nowMs: number): void;
  count(): number;
}

export interface RetryQueueOptions {
  backoff?: BackoffPolicy | undefined;
  random?: (() => number) | undefined;
}

/** SQL naming the agent who recorded a queued row: every queued payload (outcome, customer event, audit row) carries it. */
const RECORDING_AGENT = "json_extract(payload, '$.agentId')";

/** `table` and `keyColumn` are code constants (never input): they name the queue's table. */
export function createRetryQueue(db: CacheDb, table: string, keyColumn: string, options: RetryQueueOptions = {}): RetryQueue {
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? OUTBOX_BACKOFF;
  const insert = db.prepare<[string, string, number]>(`INSERT INTO ${table} (${keyColumn}, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?)`);
  const oldest = db.prepare<[string, number], { key: string; payload: string; next_attempt_at: number }>(
    `SELECT ${keyColumn} AS key, payload, next_attempt_at FROM ${table} WHERE ${RECORDING_AGENT} = ? ORDER BY seq LIMIT ?`,
  );
  const headDueAt = db.prepare<[string], number>(`SELECT next_attempt_at FROM ${table} WHERE ${RECORDING_AGENT} = ? ORDER BY seq LIMIT 1`).pluck();
  const removeRow = db.prepare<[string], string>(`DELETE FROM ${table} WHERE ${keyColumn} = ? RETURNING payload`).pluck();
  const failAttempt = db
    .prepare<[string, string], number>(`UPDATE ${table} SET attempts = attempts + 1, last_error = ? WHERE ${keyColumn} = ? RETURNING attempts`)
    .pluck();
  const reschedule = db.prepare<[number, string]>(`UPDATE ${table} SET next_attempt_at = ? WHERE ${keyColumn} = ?`);
  const count = db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck();

  const recordFailedAttempt = db.transaction((keys: readonly string[], error: string, nowMs: number) => {
    for (const key of keys) {
      const attempts = failAttempt.get(error, key);
      if (attempts !== undefined) reschedule.run(nowMs + backoffDelayMs(attempts, backoff, random), key);
    }
  });

  return {
    enqueue: (key, payload, dueAtMs) => void insert.run(key, payload, dueAtMs),
    takeDue(agentId, limit, nowMs) {
      const rows = oldest.all(agentId, limit);
      const head = rows[0];
      if (head === undefined || head.next_attempt_at > nowMs) return [];
      return rows.map(({ key, payload }) => ({ key, payload }));
    },
    nextDueAt: (agentId) => headDueAt.get(agentId) ?? null,
    remove: (key) => removeRow.get(key),
    recordFailedAttempt: (keys, error, nowMs) => recordFailedAttempt(keys, error, nowMs),
    count: () => count.get() ?? 0,
  };
}
