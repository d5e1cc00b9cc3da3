// The durable queues of audit rows (card views, discarded interactions). A row is written in the
// same transaction as the fact it audits and leaves only when the central API acknowledged its
// batch; after any failure the same ids are sent again (the server stores each id once), so no
// row is lost or counted twice.
//
// Each row goes up under the authority of the agent who recorded it. The central API stores only
// the caller's own audit rows and refuses a batch holding another agent's whole (server/audit): an
// audit row says who looked at whom, and one agent's session must not be able to say it of another.
// So a desk shared by several agents (one logs out before their rows went up, another logs in)
// sends each signed-in agent's rows only; the others wait in the queue, untouched and not backing
// off, until their agent signs in on this desk again.
import type { z } from 'zod';
import { CardViewAudit } from '../../shared/contract/card-view-audit';
import { InteractionDiscard } from '../../shared/contract/interaction-audit';
import type { CacheDb } from '../cache/open-cache';
import { createRetryQueue, type RetryQueueOptions } from './retry-queue';

export interface AuditQueue<Row> {
  record(row: Row): void;
  /**
   * Records the row and runs `alongside` (a write that goes with the audited fact) in one
   * transaction, so one commit makes both durable. A failing `alongside` has its writes undone and
   * its error handed to `alongsideFailed`; the row is recorded all the same.
   */
  recordWith(row: Row, alongside: () => void, alongsideFailed: (error: unknown) => void): void;
  /** The oldest `limit` rows `agentId` recorded, or none while the oldest of them is backing off after a failed upload. */
  takeDue(agentId: string, limit: number, nowMs: number): Row[];
  /** Time the oldest row `agentId` recorded becomes due, or null when none of theirs waits. */
  nextDueAt(agentId: string): number | null;
  /** The server stored (or already had) these rows: they leave the queue. */
  acknowledge(ids: readonly string[]): void;
  recordFailedAttempt(ids: readonly string[], error: string, nowMs: number): void;
  idOf(row: Row): string;
  pending(): number;
}

interface AuditQueueShape<S extends z.ZodType> {
  table: 'audit_outbox' | 'discard_outbox';
  keyColumn: 'view_id' | 'discard_id';
  schema: S;
  idOf(row: z.output<S>): string;
  /** When the audited fact happened: the row is due from then. */
  timeOf(row: z.output<S>): string;
}

function createAuditQueue<S extends z.ZodType>(db: CacheDb, shape: AuditQueueShape<S>, options: RetryQueueOptions): AuditQueue<z.output<S>> {
  const queue = createRetryQueue(db, shape.table, shape.keyColumn, options);
  const acknowledge = db.transaction((ids: readonly string[]) => {
    for (const id of ids) queue.remove(id);
  });
  const record = (row: z.output<S>) => {
    const parsed = shape.schema.parse(row);
    queue.enqueue(shape.idOf(parsed), JSON.stringify(parsed), Date.parse(shape.timeOf(parsed)));
  };
  // Nested in recordWith's transaction this is a savepoint: a throw rolls back only its own writes.
  const runAlongside = db.transaction((alongside: () => void) => alongside());
  const recordWith = db.transaction((row: z.output<S>, alongside: () => void, alongsideFailed: (error: unknown) => void) => {
    record(row);
    try {
      runAlongside(alongside);
    } catch (error) {
      alongsideFailed(error);
    }
  });
  return {
    record,
    recordWith,
    // Written by record() after the schema parsed it, so the stored payload is trusted.
    takeDue: (agentId, limit, nowMs) => queue.takeDue(agentId, limit, nowMs).map((row) => JSON.parse(row.payload) as z.output<S>),
    nextDueAt: (agentId) => queue.nextDueAt(agentId),
    acknowledge: (ids) => acknowledge(ids),
    recordFailedAttempt: (ids, error, nowMs) => queue.recordFailedAttempt(ids, error, nowMs),
    idOf: shape.idOf,
    pending: () => queue.count(),
  };
}

export type AuditOutbox = AuditQueue<CardViewAudit>;
export type DiscardOutbox = AuditQueue<InteractionDiscard>;

export const createAuditOutbox = (db: CacheDb, options: RetryQueueOptions = {}): AuditOutbox =>
  createAuditQueue(db, { table: 'audit_outbox', keyColumn: 'view_id', schema: CardViewAudit, idOf: (v) => v.viewId, timeOf: (v) => v.viewedAt }, options);

export const createDiscardOutbox = (db: CacheDb, options: RetryQueueOptions = {}): DiscardOutbox =>
  createAuditQueue(
    db,
    { table: 'discard_outbox', keyColumn: 'discard_id', schema: InteractionDiscard, idOf: (d) => d.discardId, timeOf: (d) => d.discardedAt },
    options,
  );
