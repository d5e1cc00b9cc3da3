import { OUTCOME_DEVICE_LOCKS, OUTCOME_LEARNING_LOCK } from '../advisory-locks';
import { FULFILMENT_ORDER_LOG, OUTCOME_LOG, announceWriterSql } from '../commit-order';
import type { Migration } from './migration';

// An outcome upload as one statement (server/outcomes/record-batch.ts). It took five round trips
// to PostgreSQL (BEGIN, the device lock, the read of what is stored, the writes, COMMIT) and two
// more with fulfilment orders; under load each trip's wake-ups and socket writes cost the API and
// PostgreSQL more than the statements' work, and every statement was planned again. As a function
// called outside a transaction it is one trip and one commit, and PL/pgSQL keeps each statement's
// plan for the session.
//
// Per item, in the batch's order (one status each, returned in that order):
// - 'duplicate' when its outcome_id is stored, whatever else is wrong with it now, or when an
//   earlier item of the batch with the same id is stored by this call;
// - else a rejection code: 'device_mismatch' (not the batch's device), 'agent_mismatch' (not the
//   caller's), 'unknown_offer' (an offer that is not live);
// - else it is inserted: 'accepted', or 'duplicate' when another batch stored it first.
// One batch of a device at a time (a lock on the device id's hash): a resend racing its original
// is then seen as stored, whatever recordedAt it carries; an item of another device is refused
// unless stored, so this covers every id. The lock is taken in a statement of its own so that the
// read of what is stored, in the next, has a snapshot taken after the wait.
// Each batch announces itself to the outcome log before it takes server_seqs, and to the
// fulfilment order log only when it has orders (server/db/commit-order.ts).
// Accepted offers with something to fulfil become fulfilment orders, carrying the offer's action
// as it stands now (action 'none' has nothing for the back office). The device's lastAppliedClientSeq moves to the highest clientSeq of its items
// that are not rejected, never backwards.
// What the new outcomes teach is left to learn (outcomes_to_learn, migration 0020); learn_now says
// that this batch stored outcomes and found no learner under way, so the caller learns before it
// answers (server/outcomes/learning.ts).
const OUTCOME_COLUMNS = 'outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload';

export const migration0026RecordOutcomeBatch: Migration = {
  version: 26,
  name: 'an outcome upload in one statement',
  statements: [
    `CREATE FUNCTION record_outcome_batch(items jsonb, batch_device text, caller text, storing_time timestamptz)
    RETURNS TABLE (statuses text[], last_applied_client_seq bigint, learn_now boolean)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      ids uuid[] := ARRAY(SELECT (o->>'outcomeId')::uuid FROM jsonb_array_elements(items) AS o);
      stored uuid[];
      live jsonb;
      decided text[];
      inserted uuid[];
      highest bigint;
      learner_free boolean := false;
    BEGIN
      PERFORM pg_advisory_xact_lock(${OUTCOME_DEVICE_LOCKS}, hashtext(batch_device)), ${announceWriterSql(OUTCOME_LOG)};

      -- Planned for these ids at each call (EXECUTE), not from a plan kept for the session: a month's
      -- partition starts empty, and a plan kept from then scans it whole however large it grows.
      -- = ANY of an array probes each month's primary key (an IN over a set was hashed against a scan of every month).
      EXECUTE 'SELECT coalesce(array_agg(outcome_id), ''{}'') FROM outcomes WHERE outcome_id = ANY ($1)' INTO stored USING ids;
      SELECT coalesce(jsonb_object_agg(id, data->'fulfilment'), '{}') INTO live FROM offers
        WHERE NOT deleted AND id = ANY (ARRAY(SELECT o->'draft'->>'offerId' FROM jsonb_array_elements(items) AS o));

      -- 'new' marks the items to insert.
      WITH item AS (
        SELECT position, (o->>'outcomeId')::uuid AS id,
          CASE WHEN o->>'deviceId' <> batch_device THEN 'device_mismatch'
            WHEN o->>'agentId' <> caller THEN 'agent_mismatch'
            WHEN o->'draft'->>'offerId' IS NOT NULL AND NOT live ? (o->'draft'->>'offerId') THEN 'unknown_offer' END AS problem
        FROM jsonb_array_elements(items) WITH ORDINALITY AS i(o, position))
      SELECT array_agg(CASE WHEN item.id = ANY (stored) THEN 'duplicate'
          WHEN EXISTS (SELECT 1 FROM item earlier WHERE earlier.id = item.id AND earlier.position < item.position AND earlier.problem IS NULL) THEN 'duplicate'
          ELSE coalesce(item.problem, 'new') END ORDER BY position)
      INTO decided FROM item;

      -- In the batch's order, so server_seq follows it. The key is (outcome_id, recorded_at), the month's
      -- column being part of it (outcomes are partitioned by month): a resend repeats both, so it conflicts.
      WITH written AS (
        INSERT INTO outcomes (${OUTCOME_COLUMNS})
        SELECT (o->>'outcomeId')::uuid, o->>'deviceId', (o->>'clientSeq')::bigint, o->>'agentId', o->'draft'->>'customerId',
          o->'draft'->>'offerId', o->'draft'->>'result', o->'draft'->>'channel', (o->>'recordedAt')::timestamptz, o
        FROM jsonb_array_elements(items) WITH ORDINALITY AS i(o, position)
        WHERE decided[position::int] = 'new'
        ORDER BY position
        ON CONFLICT (outcome_id, recorded_at) DO NOTHING
        RETURNING outcome_id, recorded_at),
      queued AS (
        INSERT INTO outcomes_to_learn (outcome_id, recorded_at, stored_at) SELECT outcome_id, recorded_at, storing_time FROM written)
      SELECT coalesce(array_agg(outcome_id), '{}') INTO inserted FROM written;

      decided := ARRAY(SELECT CASE WHEN d <> 'new' THEN d WHEN id = ANY (inserted) THEN 'accepted' ELSE 'duplicate' END
        FROM unnest(decided, ids) WITH ORDINALITY AS s(d, id, position)
        ORDER BY position);

      -- By position: a later copy of an inserted id is a duplicate, whatever its result.
      IF EXISTS (SELECT 1 FROM jsonb_array_elements(items) WITH ORDINALITY AS i(o, position)
          WHERE decided[position::int] = 'accepted' AND o->'draft'->>'result' = 'accepted'
            AND live->(o->'draft'->>'offerId')->>'action' <> 'none') THEN
        PERFORM ${announceWriterSql(FULFILMENT_ORDER_LOG)};
        INSERT INTO fulfilment_orders (outcome_id, customer_id, offer_id, action, plan_code, agent_id)
        SELECT (o->>'outcomeId')::uuid, o->'draft'->>'customerId', o->'draft'->>'offerId',
          live->(o->'draft'->>'offerId')->>'action', live->(o->'draft'->>'offerId')->>'planCode', o->>'agentId'
        FROM jsonb_array_elements(items) WITH ORDINALITY AS i(o, position)
        WHERE decided[position::int] = 'accepted' AND o->'draft'->>'result' = 'accepted'
          AND live->(o->'draft'->>'offerId')->>'action' <> 'none'
        ORDER BY position
        ON CONFLICT (outcome_id) DO NOTHING;
      END IF;

      SELECT coalesce(max((o->>'clientSeq')::bigint), 0) INTO highest
        FROM jsonb_array_elements(items) WITH ORDINALITY AS i(o, position)
        WHERE o->>'deviceId' = batch_device AND decided[position::int] IN ('accepted', 'duplicate');
      INSERT INTO devices (device_id, last_applied_client_seq) VALUES (batch_device, highest)
        ON CONFLICT (device_id) DO UPDATE SET
          last_applied_client_seq = GREATEST(devices.last_applied_client_seq, EXCLUDED.last_applied_client_seq),
          updated_at = now()
        RETURNING devices.last_applied_client_seq INTO highest;

      -- Whether a learner is under way, without holding the lock: a lock held to this commit would turn
      -- away the learner this very upload may start next, and every other upload's.
      IF cardinality(inserted) > 0 AND pg_try_advisory_lock(${OUTCOME_LEARNING_LOCK}) THEN
        PERFORM pg_advisory_unlock(${OUTCOME_LEARNING_LOCK});
        learner_free := true;
      END IF;
      RETURN QUERY SELECT decided, highest, learner_free;
    END $$`,
  ],
};
