// Applies an outcome upload in ONE transaction: the inserts, the fulfilment orders of newly stored
// outcomes, what they teach (offer stats, contact history: learning.ts) or their place in the queue
// to learn from, and the device's lastAppliedClientSeq, committed before the caller answers.
// Three statements between BEGIN and COMMIT when nothing is accepted for fulfilment and another
// upload is learning (the common case under load): the locks, the read of what is stored, and the
// writes; each round trip to PostgreSQL costs a wake-up of both processes, which under load costs
// more than the statements' own work.
// outcome_id is the idempotency key, so a resent batch (lost response, retry) reports 'duplicate'
// and counts nothing twice. Batches of different devices do not wait for each other: server_seq and
// fulfilment order ids are kept in commit order for their readers by announcing the writer
// (server/db/commit-order.ts), and one transaction at a time learns, the others leaving it their outcomes.
import type { OutcomeBatchRequest, OutcomeBatchResponse, OutcomeItemResult } from '../../shared/contract/central-api';
import type { Outcome } from '../../shared/contract/outcomes';
import { OUTCOME_DEVICE_LOCKS } from '../db/advisory-locks';
import { OUTCOME_LOG, announceWriterSql } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { createFulfilmentOrders, type OfferFulfilment } from '../fulfilment/create-orders';
import { LEARNING_COLUMNS, claimedOutcomes, learnOrLeaveCtes, learnWithClaimed, type ClaimedKey } from './learning';

/**
 * One batch of a device at a time: a resend racing its original is then seen as stored, whatever
 * recordedAt it carries. Items of another device are refused unless stored, so this covers every id.
 * In the same trip the batch announces itself to the outcome log (commit-order.ts) before its insert
 * takes server_seqs; the lock is taken by the device id's hash, as advisoryXactKeyLocksSql would.
 * Its own statement: what is stored is read in the next one, whose snapshot follows the wait.
 */
const LOCK_DEVICE_AND_ANNOUNCE = `SELECT pg_advisory_xact_lock(${OUTCOME_DEVICE_LOCKS}, hashtext($1)), ${announceWriterSql(OUTCOME_LOG)}`;

/**
 * All the batch's new outcomes in one statement (one round trip, not one per item), in the batch's
 * order so server_seq follows it, the device's lastAppliedClientSeq moved on, and the outcomes learned
 * or left to learn (learning.ts), all in the same trip.
 * The payload is the item as sent. The key is (outcome_id, recorded_at), the month's column being
 * part of it (outcomes are partitioned by month): a resend repeats both, so it still conflicts.
 */
const INSERT_OUTCOMES_ADVANCE_DEVICE_AND_LEARN = `WITH inserted AS (
    INSERT INTO outcomes
      (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
    SELECT (o->>'outcomeId')::uuid, o->>'deviceId', (o->>'clientSeq')::bigint, o->>'agentId', o->'draft'->>'customerId',
      o->'draft'->>'offerId', o->'draft'->>'result', o->'draft'->>'channel', (o->>'recordedAt')::timestamptz, o
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS item(o, position)
    ORDER BY position
    ON CONFLICT (outcome_id, recorded_at) DO NOTHING
    RETURNING outcome_id, recorded_at),
  device AS (
    INSERT INTO devices (device_id, last_applied_client_seq) VALUES ($2, $3)
    ON CONFLICT (device_id) DO UPDATE SET
      last_applied_client_seq = GREATEST(devices.last_applied_client_seq, EXCLUDED.last_applied_client_seq),
      updated_at = now()
    RETURNING last_applied_client_seq),
  ${learnOrLeaveCtes('$4::timestamptz')}
  SELECT (SELECT coalesce(jsonb_agg(outcome_id::text), '[]') FROM inserted) AS inserted,
    (SELECT last_applied_client_seq FROM device) AS last_applied_client_seq,
    ${LEARNING_COLUMNS}`;

/**
 * The items' ids stored already, and the live offers they name with what accepting each one sets
 * in motion: one round trip. An id stored earlier is a duplicate even if it would be rejected now.
 * `= ANY` of an array probes each month's primary key whatever the planner believes of the
 * table's size (an IN over a set-returning function was hashed against a scan of every month).
 */
const STORED_IDS_AND_LIVE_OFFERS = `SELECT
  (SELECT coalesce(jsonb_agg(outcome_id::text), '[]') FROM outcomes WHERE outcome_id = ANY($1::uuid[])) AS stored,
  (SELECT coalesce(jsonb_object_agg(id, data->'fulfilment'), '{}') FROM offers WHERE NOT deleted AND id = ANY($2::text[])) AS offers`;

async function storedIdsAndLiveOffers(tx: SqlClient, items: readonly Outcome[]): Promise<{ stored: Set<string>; offers: Map<string, OfferFulfilment> }> {
  const offerIds = [...new Set(items.flatMap((i) => (i.draft.offerId === null ? [] : [i.draft.offerId])))];
  const [row] = await tx.query<{ stored: string[]; offers: Record<string, OfferFulfilment> }>(STORED_IDS_AND_LIVE_OFFERS, [
    items.map((i) => i.outcomeId),
    offerIds,
  ]);
  return { stored: new Set(row?.stored), offers: new Map(Object.entries(row?.offers ?? {})) };
}

/** Why an item cannot be stored, or null when it can. Checked only for ids not stored yet. */
function rejection(
  item: Outcome,
  batchDeviceId: string,
  callerId: string,
  offers: ReadonlyMap<string, OfferFulfilment>,
): { code: string; message: string } | null {
  if (item.deviceId !== batchDeviceId)
    return { code: 'device_mismatch', message: `item deviceId '${item.deviceId}' differs from the batch deviceId '${batchDeviceId}'` };
  if (item.agentId !== callerId) return { code: 'agent_mismatch', message: `item agentId '${item.agentId}' is not the logged-in user '${callerId}'` };
  if (item.draft.offerId !== null && !offers.has(item.draft.offerId)) return { code: 'unknown_offer', message: `offer '${item.draft.offerId}' does not exist` };
  return null;
}

/**
 * `callerId` is the authenticated user: an agent records outcomes only in their own name. `now` dates the
 * offer-stat counts and prunes the contact history (the demo history records as of the day it ends).
 */
export async function recordOutcomeBatch(db: SqlClient, batch: OutcomeBatchRequest, callerId: string, now = new Date()): Promise<OutcomeBatchResponse> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK_DEVICE_AND_ANNOUNCE, [batch.deviceId]);
    const { stored, offers } = await storedIdsAndLiveOffers(tx, batch.items);

    // First the items stored before or repeated within this batch, and the rejections; the rest go in together.
    const decided: (OutcomeItemResult | Outcome)[] = [];
    const toInsert: Outcome[] = [];
    let highestApplied = 0;
    for (const item of batch.items) {
      const { outcomeId } = item;
      const problem = stored.has(outcomeId) ? null : rejection(item, batch.deviceId, callerId, offers);
      if (problem !== null) {
        decided.push({ outcomeId, status: 'rejected', ...problem });
        continue;
      }
      if (stored.has(outcomeId)) decided.push({ outcomeId, status: 'duplicate' });
      else {
        decided.push(item);
        toInsert.push(item);
        stored.add(outcomeId);
      }
      if (item.deviceId === batch.deviceId) highestApplied = Math.max(highestApplied, item.clientSeq);
    }
    const [written] = await tx.query<{ inserted: string[]; last_applied_client_seq: number; learning: boolean; claimed: ClaimedKey[] }>(
      INSERT_OUTCOMES_ADVANCE_DEVICE_AND_LEARN,
      [JSON.stringify(toInsert), batch.deviceId, highestApplied, now.toISOString()],
    );
    const insertedIds = new Set(written?.inserted);
    // Not inserted although not seen as stored: another batch stored it first.
    const isNew = (item: Outcome) => insertedIds.has(item.outcomeId.toLowerCase());
    const results = decided.map((d): OutcomeItemResult => ('status' in d ? d : { outcomeId: d.outcomeId, status: isNew(d) ? 'accepted' : 'duplicate' }));
    const newlyStored = toInsert.filter(isNew);

    await createFulfilmentOrders(tx, newlyStored, offers);
    // A batch that learns holds the learning lock from its insert until its commit: it learns last.
    if (written?.learning === true) await learnWithClaimed(tx, newlyStored, now, await claimedOutcomes(tx, written.claimed));
    return { results, lastAppliedClientSeq: written?.last_applied_client_seq ?? highestApplied };
  });
}
