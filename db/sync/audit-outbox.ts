// The durable queue of card-view audit rows. A row is written in the same call that opened the
// card and leaves only when the central API acknowledged its batch; after any failure the same
// viewIds are sent again (the server stores each viewId once), so no view is lost or counted twice.
import { CardViewAudit } from '../../shared/contract/reports';
import type { CacheDb } from '../cache/open-cache';
import { createRetryQueue, type RetryQueueOptions } from './retry-queue';

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

export function createAuditOutbox(db: CacheDb, options: RetryQueueOptions = {}): AuditOutbox {
  const queue = createRetryQueue(db, 'audit_outbox', 'view_id', options);
  const acknowledge = db.transaction((viewIds: readonly string[]) => {
    for (const id of viewIds) queue.remove(id);
  });

  return {
    record(view) {
      const parsed = CardViewAudit.parse(view);
      queue.enqueue(parsed.viewId, JSON.stringify(parsed), Date.parse(parsed.viewedAt));
    },
    // Written by record() after CardViewAudit.parse, so the stored payload is trusted.
    takeDue: (limit, nowMs) => queue.takeDue(limit, nowMs).map((row) => JSON.parse(row.payload) as CardViewAudit),
    nextDueAt: () => queue.nextDueAt(),
    acknowledge: (viewIds) => acknowledge(viewIds),
    recordFailedAttempt: (viewIds, error, nowMs) => queue.recordFailedAttempt(viewIds, error, nowMs),
    pending: () => queue.count(),
  };
}
