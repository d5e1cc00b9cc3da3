// Applies an outcome upload in ONE transaction: the inserts, what they teach (offer stats,
// contact history, fulfilment orders: for newly stored outcomes only) and the device's
// lastAppliedClientSeq, committed before the caller answers. outcome_id is the idempotency
// key, so a resent batch (lost response, retry) reports 'duplicate' and counts nothing twice.
// Batches of different devices do not wait for each other: server_seq and fulfilment order ids are
// kept in commit order for their readers by announcing the writer (server/db/commit-order.ts), what
// a batch reads and rewrites (contact histories) is locked row by row, and offer stats, which every
// batch adds to, are appended as increments while another batch folds them in (offer-stats.ts).
import type { OutcomeBatchRequest, OutcomeBatchResponse, OutcomeItemResult } from '../../shared/contract/central-api';
import type { Outcome } from '../../shared/contract/outcomes';
import { OUTCOME_DEVICE_LOCKS, advisoryXactKeyLocksSql } from '../db/advisory-locks';
import { FULFILMENT_ORDER_LOG, OUTCOME_LOG, announceWriter } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { createFulfilmentOrders, type OfferFulfilment } from '../fulfilment/create-orders';
import { appendContacts } from './contact-history';
import { countOfferPresentations } from './offer-stats';

/**
 * All the batch's new outcomes in one statement (one round trip, not one per item), in the batch's
 * order so server_seq follows it. The payload is the item as sent. The key is (outcome_id,
 * recorded_at), the month's column being part of it (outcomes are partitioned by month): a resend
 * repeats both, so it still conflicts.
 */
const INSERT_OUTCOMES = `INSERT INTO outcomes
    (outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload)
  SELECT (o->>'outcomeId')::uuid, o->>'deviceId', (o->>'clientSeq')::bigint, o->>'agentId', o->'draft'->>'customerId',
    o->'draft'->>'offerId', o->'draft'->>'result', o->'draft'->>'channel', (o->>'recordedAt')::timestamptz, o
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS item(o, position)
  ORDER BY position
  ON CONFLICT (outcome_id, recorded_at) DO NOTHING
  RETURNING outcome_id::text`;

const ADVANCE_DEVICE = `INSERT INTO devices (device_id, last_applied_client_seq) VALUES ($1, $2)
  ON CONFLICT (device_id) DO UPDATE SET
    last_applied_client_seq = GREATEST(devices.last_applied_client_seq, EXCLUDED.last_applied_client_seq),
    updated_at = now()
  RETURNING last_applied_client_seq`;

async function idsAlreadyStored(tx: SqlClient, items: readonly Outcome[]): Promise<Set<string>> {
  const rows = await tx.query<{ outcome_id: string }>(
    `SELECT outcome_id::text FROM outcomes WHERE outcome_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)`,
    [JSON.stringify(items.map((i) => i.outcomeId))],
  );
  return new Set(rows.map((r) => r.outcome_id));
}

/** The live offers the items name, with what accepting each one sets in motion. */
async function liveOffers(tx: SqlClient, items: readonly Outcome[]): Promise<Map<string, OfferFulfilment>> {
  const wanted = [...new Set(items.flatMap((i) => (i.draft.offerId === null ? [] : [i.draft.offerId])))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.query<{ id: string; fulfilment: OfferFulfilment }>(
    `SELECT id, data->'fulfilment' AS fulfilment FROM offers WHERE NOT deleted AND id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(wanted)],
  );
  return new Map(rows.map((r) => [r.id, r.fulfilment]));
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
    // One batch of a device at a time: a resend racing its original is then seen as stored, whatever
    // recordedAt it carries. Items of another device are refused unless stored, so this covers every id.
    await tx.query(advisoryXactKeyLocksSql(OUTCOME_DEVICE_LOCKS), [[batch.deviceId]]);
    await announceWriter(tx, OUTCOME_LOG);
    await announceWriter(tx, FULFILMENT_ORDER_LOG);
    // An id stored earlier is a duplicate even if it would be rejected now (say, its offer was retired since).
    const stored = await idsAlreadyStored(tx, batch.items);
    const offers = await liveOffers(tx, batch.items);

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
    const inserted = toInsert.length === 0 ? [] : await tx.query<{ outcome_id: string }>(INSERT_OUTCOMES, [JSON.stringify(toInsert)]);
    const insertedIds = new Set(inserted.map((r) => r.outcome_id));
    // Not inserted although not seen as stored: another batch stored it first.
    const isNew = (item: Outcome) => insertedIds.has(item.outcomeId.toLowerCase());
    const results = decided.map((d): OutcomeItemResult => ('status' in d ? d : { outcomeId: d.outcomeId, status: isNew(d) ? 'accepted' : 'duplicate' }));
    const newlyStored = toInsert.filter(isNew);

    await appendContacts(tx, newlyStored, now);
    await createFulfilmentOrders(tx, newlyStored, offers);
    const [device] = await tx.query<{ last_applied_client_seq: number }>(ADVANCE_DEVICE, [batch.deviceId, highestApplied]);
    // Last: a batch that folds the offer stats holds the fold lock until the commit just after.
    await countOfferPresentations(tx, newlyStored, now);
    return { results, lastAppliedClientSeq: device?.last_applied_client_seq ?? highestApplied };
  });
}
