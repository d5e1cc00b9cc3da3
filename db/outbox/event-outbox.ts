// The durable outbox for customer events (complaints, network faults logged during a call). The
// event row and its outbox row commit together; the outbox row leaves only on the server's answer:
// accepted/duplicate → the event is 'acked' with the change seq that folds it into the customer
// row, rejected → 'dead' with the server's reason. The event rows themselves are kept: they are
// what the card overlays until the download cursor reaches applied_at_seq.
//
// An event goes up in the session of the agent who logged it, as outcomes do (outbox.ts): on a
// desk shared by several agents the others' events wait, not backing off, until their agent signs
// in again. The server folds events into counters whatever their order, once per event_id.
import { v7 as uuidv7 } from 'uuid';
import { CustomerEvent, type CustomerEventBatchResponse, type CustomerEventDraft } from '../../shared/contract/customer-events';
import type { CacheDb } from '../cache/open-cache';
import { createRetryQueue, type RetryQueueOptions } from './retry-queue';
import { createSyncStateStore } from '../replica/sync-state';

export interface EventOutboxCounts {
  pending: number;
  dead: number;
  /** recordedAt of the oldest event still waiting to upload. */
  oldestPendingAt: string | null;
}

export interface EventOutbox {
  record(draft: CustomerEventDraft, agentId: string, recordedAt: Date): CustomerEvent;
  /** The oldest `limit` pending events `agentId` logged, or none while the oldest of them is backing off. */
  takeDue(agentId: string, limit: number, nowMs: number): CustomerEvent[];
  /** Time the oldest pending event `agentId` logged becomes due, or null when none of theirs waits. */
  nextDueAt(agentId: string): number | null;
  applyResults(response: CustomerEventBatchResponse): void;
  recordFailedAttempt(eventIds: readonly string[], error: string, nowMs: number): void;
  counts(): EventOutboxCounts;
}

export function createEventOutbox(db: CacheDb, options: RetryQueueOptions = {}): EventOutbox {
  const queue = createRetryQueue(db, 'event_outbox', 'event_id', options);
  const syncState = createSyncStateStore(db);
  const insertEvent = db.prepare<[string, string, string | null, string, string, string, string]>(
    `INSERT INTO customer_events (event_id, customer_id, call_id, kind, note, recorded_at, payload, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
  );
  const markAcked = db.prepare<[number, string]>("UPDATE customer_events SET state = 'acked', applied_at_seq = ? WHERE event_id = ? AND state = 'pending'");
  const markDead = db.prepare<[string, string]>("UPDATE customer_events SET state = 'dead', dead_reason = ? WHERE event_id = ? AND state = 'pending'");
  const countDead = db.prepare<[], number>("SELECT count(*) FROM customer_events WHERE state = 'dead'").pluck();
  const oldestPending = db
    .prepare<[], string>('SELECT e.recorded_at FROM event_outbox b JOIN customer_events e ON e.event_id = b.event_id ORDER BY b.seq LIMIT 1')
    .pluck();

  const record = db.transaction((draft: CustomerEventDraft, agentId: string, recordedAt: Date): CustomerEvent => {
    const event = CustomerEvent.parse({
      eventId: uuidv7({ msecs: recordedAt.getTime() }),
      deviceId: syncState.deviceId(),
      agentId,
      recordedAt: recordedAt.toISOString(),
      draft,
    });
    const payload = JSON.stringify(event);
    insertEvent.run(event.eventId, draft.customerId, draft.callId, draft.kind, draft.note, event.recordedAt, payload);
    queue.enqueue(event.eventId, payload, recordedAt.getTime());
    return event;
  });

  const applyResults = db.transaction((response: CustomerEventBatchResponse) => {
    for (const result of response.results) {
      // An answer for an event that already left the outbox (a replayed response) changes nothing.
      if (queue.remove(result.eventId) === undefined) continue;
      if (result.status === 'rejected') markDead.run(`${result.code}: ${result.message}`, result.eventId);
      else markAcked.run(result.appliedAtSeq, result.eventId);
    }
  });

  return {
    record: (draft, agentId, recordedAt) => record(draft, agentId, recordedAt),
    // Written by record() after CustomerEvent.parse, so the stored payload is trusted.
    takeDue: (agentId, limit, nowMs) => queue.takeDue(agentId, limit, nowMs).map((row) => JSON.parse(row.payload) as CustomerEvent),
    nextDueAt: (agentId) => queue.nextDueAt(agentId),
    applyResults: (response) => applyResults(response),
    recordFailedAttempt: (eventIds, error, nowMs) => queue.recordFailedAttempt(eventIds, error, nowMs),
    counts: () => ({ pending: queue.count(), dead: countDead.get() ?? 0, oldestPendingAt: oldestPending.get() ?? null }),
  };
}
