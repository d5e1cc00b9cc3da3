// The durable queue of card-view audit rows. A row is written in the same call that opened the
// card and leaves only when the central API acknowledged its batch; after any failure the same
// viewIds are sent again (the server stores each viewId once), so no view is lost or counted twice.
import { CardViewAudit } from '../../shared/contract/reports';
import type { CacheDb } from '../cache/open-cache';
import { OUTBOX_BACKOFF, backoffDelayMs, type BackoffPolicy } from './backoff';

export interface AuditOutbox {
  record(view: CardViewAudit): void;
  /** The oldest `limit` views, or none while the oldest is backing off after a failed upload. */
  takeDue(limit: number, nowMs: number): CardViewAudit[];
  /** Time the head of the queue becomes due, or null when nothing waits. */
  nextDueAt(): number | null;
  /** The server stored (or already had) these views: they leave the queue. */
  acknowledge(viewIds: readonly string[]): void;
  recordFailedAttempt(viewIds: readonly string[], error: string, nowMs: number): void;
  pending(): number;
}

export function createAuditOutbox(db: CacheDb, options: { backoff?: BackoffPolicy; random?: () => number } = {}): AuditOutbox {
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? OUTBOX_BACKOFF;
  const insert = db.prepare<[string, string, number]>('INSERT INTO audit_outbox (view_id, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?)');
  const oldest = db.prepare<[number], { payload: string; next_attempt_at: number }>(
    'SELECT payload, next_attempt_at FROM audit_outbox ORDER BY seq LIMIT ?',
  );
  const headDueAt = db.prepare<[], number>('SELECT next_attempt_at FROM audit_outbox ORDER BY seq LIMIT 1').pluck();
  const remove = db.prepare<[string]>('DELETE FROM audit_outbox WHERE view_id = ?');
  const failAttempt = db.prepare<[string, string], { attempts: number }>(
    'UPDATE audit_outbox SET attempts = attempts + 1, last_error = ? WHERE view_id = ? RETURNING attempts',
  );
  const reschedule = db.prepare<[number, string]>('UPDATE audit_outbox SET next_attempt_at = ? WHERE view_id = ?');
  const count = db.prepare<[], number>('SELECT count(*) FROM audit_outbox').pluck();

  const acknowledge = db.transaction((viewIds: readonly string[]) => {
    for (const id of viewIds) remove.run(id);
  });
  const recordFailedAttempt = db.transaction((viewIds: readonly string[], error: string, nowMs: number) => {
    for (const id of viewIds) {
      const row = failAttempt.get(error, id);
      if (row !== undefined) reschedule.run(nowMs + backoffDelayMs(row.attempts, backoff, random), id);
    }
  });

  return {
    record(view) {
      const parsed = CardViewAudit.parse(view);
      insert.run(parsed.viewId, JSON.stringify(parsed), Date.parse(parsed.viewedAt));
    },
    takeDue(limit, nowMs) {
      const rows = oldest.all(limit);
      const head = rows[0];
      if (head === undefined || head.next_attempt_at > nowMs) return [];
      // Written by record() after CardViewAudit.parse, so the stored payload is trusted.
      return rows.map((row) => JSON.parse(row.payload) as CardViewAudit);
    },
    nextDueAt: () => headDueAt.get() ?? null,
    acknowledge: (viewIds) => acknowledge(viewIds),
    recordFailedAttempt: (viewIds, error, nowMs) => recordFailedAttempt(viewIds, error, nowMs),
    pending: () => count.get() ?? 0,
  };
}
