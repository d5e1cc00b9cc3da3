// The durable outbox for call outcomes. An outcome and its outbox row commit together; rows
// leave the outbox only on a server acknowledgement (or, if rejected, into outbox_dead), so an
// outcome the agent saved is never silently lost.
//
// An outcome goes up in the session of the agent who recorded it: the central API stores only the
// caller's own outcomes (agent_mismatch), so one agent cannot record decisions as another. On a desk
// shared by several agents each session drains its own agent's rows, oldest first; the others'
// wait untouched, not backing off, until their agent signs in here again (as audit-outbox.ts).
// The server keeps exactly-once by outcome_id and orders nothing by clientSeq (lastAppliedClientSeq
// is a high-water mark no one waits on), so one agent's rows going up before another's older ones
// break no guarantee. Rows an older desk dead-lettered as agent_mismatch (sent in another agent's
// session) were never stored: cache migration 10 put them back in the queue (db/cache/migrations.ts).
import { v7 as uuidv7 } from 'uuid';
import type { OutcomeBatchResponse } from '../../shared/contract/central-api';
import { Outcome, type OutcomeDraft } from '../../shared/contract/outcomes';
import type { CacheDb } from '../cache/open-cache';
import { createRetryQueue, type RetryQueueOptions } from './retry-queue';
import { createSyncStateStore } from '../replica/sync-state';

export interface RecordedOutcome {
  outcomeId: string;
  clientSeq: number;
  outboxPending: number;
}

export interface OutboxCounts {
  pending: number;
  dead: number;
  /** recordedAt of the oldest outcome still waiting to upload. */
  oldestPendingAt: string | null;
}

export interface Outbox {
  deviceId(): string;
  record(draft: OutcomeDraft, agentId: string, recordedAt: Date): RecordedOutcome;
  /**
   * The oldest `limit` pending outcomes `agentId` recorded, in the order they were recorded, or none
   * while the oldest of them is backing off: later ones wait behind it.
   */
  takeDue(agentId: string, limit: number, nowMs: number): Outcome[];
  /** Time the oldest pending outcome `agentId` recorded becomes due, or null when none of theirs waits. */
  nextDueAt(agentId: string): number | null;
  applyResults(response: OutcomeBatchResponse, deadAt: Date): void;
  recordFailedAttempt(outcomeIds: readonly string[], error: string, nowMs: number): void;
  counts(): OutboxCounts;
}

export type OutboxOptions = RetryQueueOptions;

export function createOutbox(db: CacheDb, options: OutboxOptions = {}): Outbox {
  const queue = createRetryQueue(db, 'outbox', 'outcome_id', options);
  const syncState = createSyncStateStore(db);

  const insertOutcome = db.prepare<[string, string | null, string | null, string | null, string | null, string, string, string, string, string]>(
    `INSERT INTO outcomes (outcome_id, customer_id, phone, call_id, offer_id, result, channel, note, recorded_at, sync_state, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  );
  const insertOutbox = db.prepare<[string, number, string, number]>(
    'INSERT INTO outbox (outcome_id, client_seq, payload, attempts, next_attempt_at) VALUES (?, ?, ?, 0, ?)',
  );
  const markOutcome = db.prepare<[string, string]>("UPDATE outcomes SET sync_state = ? WHERE outcome_id = ? AND sync_state = 'pending'");
  const insertDead = db.prepare<[string, string, string, string, string]>(
    'INSERT OR IGNORE INTO outbox_dead (outcome_id, payload, code, reason, dead_at) VALUES (?, ?, ?, ?, ?)',
  );
  const countDead = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_dead');
  const oldestPending = db.prepare<[], { recorded_at: string }>(
    'SELECT o.recorded_at FROM outbox b JOIN outcomes o ON o.outcome_id = b.outcome_id ORDER BY b.seq LIMIT 1',
  );

  const record = db.transaction((draft: OutcomeDraft, agentId: string, recordedAt: Date): RecordedOutcome => {
    const outcome = Outcome.parse({
      outcomeId: uuidv7({ msecs: recordedAt.getTime() }),
      deviceId: syncState.deviceId(),
      clientSeq: syncState.takeClientSeq(),
      agentId,
      recordedAt: recordedAt.toISOString(),
      draft,
    });
    const payload = JSON.stringify(outcome);
    insertOutcome.run(
      outcome.outcomeId,
      draft.customerId,
      draft.phone,
      draft.callId,
      draft.offerId,
      draft.result,
      draft.channel,
      draft.note,
      outcome.recordedAt,
      payload,
    );
    insertOutbox.run(outcome.outcomeId, outcome.clientSeq, payload, recordedAt.getTime());
    return { outcomeId: outcome.outcomeId, clientSeq: outcome.clientSeq, outboxPending: queue.count() };
  });

  /** Call with the outbox row already removed, inside a transaction. */
  const moveToDead = (outcomeId: string, payload: string, code: string, reason: string, deadAt: Date) => {
    insertDead.run(outcomeId, payload, code, reason, deadAt.toISOString());
    markOutcome.run('dead', outcomeId);
  };
  const deadLetter = db.transaction((outcomeId: string, payload: string, code: string, reason: string, deadAt: Date) => {
    if (queue.remove(outcomeId) !== undefined) moveToDead(outcomeId, payload, code, reason, deadAt);
  });

  const applyResults = db.transaction((response: OutcomeBatchResponse, deadAt: Date) => {
    for (const result of response.results) {
      // An ack for an id that already left the outbox (a resent batch, a replayed response) changes nothing.
      const payload = queue.remove(result.outcomeId);
      if (payload === undefined) continue;
      if (result.status === 'rejected') {
        moveToDead(result.outcomeId, payload, result.code, result.message, deadAt);
      } else {
        markOutcome.run('synced', result.outcomeId);
      }
    }
  });

  return {
    deviceId: () => syncState.deviceId(),
    record: (draft, agentId, recordedAt) => record(draft, agentId, recordedAt),
    takeDue(agentId, limit, nowMs) {
      const due: Outcome[] = [];
      for (const row of queue.takeDue(agentId, limit, nowMs)) {
        const parsed = Outcome.safeParse(JSON.parse(row.payload));
        if (parsed.success) due.push(parsed.data);
        // A payload the contract no longer accepts would block the queue forever: park it where a supervisor sees it.
        else deadLetter(row.key, row.payload, 'unsendable_payload', parsed.error.message, new Date(nowMs));
      }
      return due;
    },
    nextDueAt: (agentId) => queue.nextDueAt(agentId),
    applyResults: (response, deadAt) => applyResults(response, deadAt),
    recordFailedAttempt: (ids, error, nowMs) => queue.recordFailedAttempt(ids, error, nowMs),
    counts: () => ({
      pending: queue.count(),
      dead: countDead.get()?.n ?? 0,
      oldestPendingAt: oldestPending.get()?.recorded_at ?? null,
    }),
  };
}
