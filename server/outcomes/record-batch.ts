// Applies an outcome upload in one statement, record_outcome_batch (migrations 0026, 0027): each item's
// fate (stored before, rejected, or inserted), the fulfilment orders of newly stored accepted
// offers, the device's lastAppliedClientSeq, and the new outcomes left to learn, committed before
// the caller answers. One round trip: each trip to PostgreSQL costs a wake-up of both processes and
// socket writes, which under load cost more than the statements' own work.
// outcome_id is the idempotency key, so a resent batch (lost response, retry) reports 'duplicate'
// and counts nothing twice. Batches of different devices do not wait for each other: server_seq and
// fulfilment order ids are kept in commit order for their readers by announcing the writer
// (server/db/commit-order.ts), and one transaction at a time learns (learning.ts).
import type { OutcomeBatchRequest, OutcomeBatchResponse, OutcomeItemResult } from '../../shared/contract/central-api';
import type { Outcome } from '../../shared/contract/outcomes';
import type { SqlClient } from '../db/sql-client';
import { learnUnlessBusy } from './learning';

/** What the function decides for an item; the rejections are codes of the answer as they are. */
type ItemStatus = 'accepted' | 'duplicate' | 'device_mismatch' | 'agent_mismatch' | 'unknown_offer';

const RECORD_OUTCOME_BATCH = 'SELECT statuses, last_applied_client_seq, learn_now FROM record_outcome_batch($1::jsonb, $2, $3, $4::timestamptz)';

function rejectionMessage(status: Exclude<ItemStatus, 'accepted' | 'duplicate'>, item: Outcome, batchDeviceId: string, callerId: string): string {
  switch (status) {
    case 'device_mismatch':
      return `item deviceId '${item.deviceId}' differs from the batch deviceId '${batchDeviceId}'`;
    case 'agent_mismatch':
      return `item agentId '${item.agentId}' is not the logged-in user '${callerId}'`;
    case 'unknown_offer':
      return `offer '${item.draft.offerId}' does not exist`;
  }
}

function resultOf(item: Outcome, status: ItemStatus, batchDeviceId: string, callerId: string): OutcomeItemResult {
  const { outcomeId } = item;
  if (status === 'accepted' || status === 'duplicate') return { outcomeId, status };
  return { outcomeId, status: 'rejected', code: status, message: rejectionMessage(status, item, batchDeviceId, callerId) };
}

/**
 * `callerId` is the authenticated user: an agent records outcomes only in their own name. `now` dates the
 * offer-stat counts and prunes the contact history (the demo history records as of the day it ends).
 */
export async function recordOutcomeBatch(db: SqlClient, batch: OutcomeBatchRequest, callerId: string, now = new Date()): Promise<OutcomeBatchResponse> {
  const [row] = await db.query<{ statuses: ItemStatus[]; last_applied_client_seq: number; learn_now: boolean }>(RECORD_OUTCOME_BATCH, [
    JSON.stringify(batch.items),
    batch.deviceId,
    callerId,
    now.toISOString(),
  ]);
  if (row === undefined) throw new Error('record_outcome_batch returned no row');
  // Unloaded, every upload finds no learner under way: what it teaches is written before it is answered.
  if (row.learn_now) await learnUnlessBusy(db);
  return {
    results: batch.items.map((item, i) => resultOf(item, row.statuses[i]!, batch.deviceId, callerId)),
    lastAppliedClientSeq: row.last_applied_client_seq,
  };
}
