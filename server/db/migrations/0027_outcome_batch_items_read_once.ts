import { OUTCOME_DEVICE_LOCKS, OUTCOME_LEARNING_LOCK } from '../advisory-locks';
import { FULFILMENT_ORDER_LOG, OUTCOME_LOG, announceWriterSql } from '../commit-order';
import type { Migration } from './migration';

// record_outcome_batch (migration 0026) read the batch's items out of the JSON in seven statements
// (the ids, the offers, the decisions, the insert, the check for orders, the orders, the highest
// clientSeq) and wrote the filter of the items to fulfil twice (whether there are any, then which).
// Here the items are read once, into an array of typed rows in the batch's order, and the positions
// of the items to fulfil are picked once; the statements below read those. Same behaviour, statuses
// and rows as migration 0026 (its comment says what each item's status is and what is written).
const OUTCOME_COLUMNS = 'outcome_id, device_id, client_seq, agent_id, customer_id, offer_id, result, channel, recorded_at, payload';

export const migration0027OutcomeBatchItemsReadOnce: Migration = {
  version: 27,
  name: "an outcome upload reads its items' JSON once",
  statements: [
    // One item of a batch: its place in the batch (from 1), the outcome's columns and the item as sent.
    `CREATE TYPE outcome_batch_item AS (
      position int, outcome_id uuid, device_id text, client_seq bigint, agent_id text, customer_id text,
      offer_id text, result text, channel text, recorded_at timestamptz, payload jsonb)`,
    `CREATE OR REPLACE FUNCTION record_outcome_batch(items jsonb, batch_device text, caller text, storing_time timestamptz)
    RETURNS TABLE (statuses text[], last_applied_client_seq bigint, learn_now boolean)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      batch outcome_batch_item[] := ARRAY(
        SELECT ROW(position::int, (o->>'outcomeId')::uuid, o->>'deviceId', (o->>'clientSeq')::bigint, o->>'agentId',
          o->'draft'->>'customerId', o->'draft'->>'offerId', o->'draft'->>'result', o->'draft'->>'channel',
          (o->>'recordedAt')::timestamptz, o)::outcome_batch_item
        FROM jsonb_array_elements(items) WITH ORDINALITY AS i(o, position) ORDER BY position);
      stored uuid[];
      live jsonb;
      decided text[];
      inserted uuid[];
      to_fulfil int[];
      highest bigint;
      learner_free boolean := false;
    BEGIN
      PERFORM pg_advisory_xact_lock(${OUTCOME_DEVICE_LOCKS}, hashtext(batch_device)), ${announceWriterSql(OUTCOME_LOG)};

      -- Planned for these ids at each call (EXECUTE), not from a plan kept for the session: a month's
      -- partition starts empty, and a plan kept from then scans it whole however large it grows.
      -- = ANY of an array probes each month's primary key (an IN over a set was hashed against a scan of every month).
      EXECUTE 'SELECT coalesce(array_agg(outcome_id), ''{}'') FROM outcomes WHERE outcome_id = ANY ($1)' INTO stored
        USING ARRAY(SELECT outcome_id FROM unnest(batch));
      SELECT coalesce(jsonb_object_agg(id, data->'fulfilment'), '{}') INTO live FROM offers
        WHERE NOT deleted AND id = ANY (ARRAY(SELECT offer_id FROM unnest(batch)));

      -- 'new' marks the items to insert.
      WITH item AS (
        SELECT position, outcome_id AS id,
          CASE WHEN device_id <> batch_device THEN 'device_mismatch'
            WHEN agent_id <> caller THEN 'agent_mismatch'
            WHEN offer_id IS NOT NULL AND NOT live ? offer_id THEN 'unknown_offer' END AS problem
        FROM unnest(batch))
      SELECT array_agg(CASE WHEN item.id = ANY (stored) THEN 'duplicate'
          WHEN EXISTS (SELECT 1 FROM item earlier WHERE earlier.id = item.id AND earlier.position < item.position AND earlier.problem IS NULL) THEN 'duplicate'
          ELSE coalesce(item.problem, 'new') END ORDER BY position)
      INTO decided FROM item;

      -- In the batch's order, so server_seq follows it. The key is (outcome_id, recorded_at), the month's
      -- column being part of it (outcomes are partitioned by month): a resend repeats both, so it conflicts.
      WITH written AS (
        INSERT INTO outcomes (${OUTCOME_COLUMNS})
        SELECT ${OUTCOME_COLUMNS} FROM unnest(batch)
        WHERE decided[position] = 'new'
        ORDER BY position
        ON CONFLICT (outcome_id, recorded_at) DO NOTHING
        RETURNING outcome_id, recorded_at),
      queued AS (
        INSERT INTO outcomes_to_learn (outcome_id, recorded_at, stored_at) SELECT outcome_id, recorded_at, storing_time FROM written)
      SELECT coalesce(array_agg(outcome_id), '{}') INTO inserted FROM written;

      decided := ARRAY(SELECT CASE WHEN decided[position] <> 'new' THEN decided[position] WHEN outcome_id = ANY (inserted) THEN 'accepted' ELSE 'duplicate' END
        FROM unnest(batch) ORDER BY position);

      -- By position: a later copy of an inserted id is a duplicate, whatever its result.
      to_fulfil := ARRAY(SELECT position FROM unnest(batch)
        WHERE decided[position] = 'accepted' AND result = 'accepted' AND live->offer_id->>'action' <> 'none'
        ORDER BY position);
      IF cardinality(to_fulfil) > 0 THEN
        PERFORM ${announceWriterSql(FULFILMENT_ORDER_LOG)};
        INSERT INTO fulfilment_orders (outcome_id, customer_id, offer_id, action, plan_code, agent_id)
        SELECT outcome_id, customer_id, offer_id, live->offer_id->>'action', live->offer_id->>'planCode', agent_id
        FROM unnest(batch) WHERE position = ANY (to_fulfil)
        ORDER BY position
        ON CONFLICT (outcome_id) DO NOTHING;
      END IF;

      SELECT coalesce(max(client_seq), 0) INTO highest FROM unnest(batch)
        WHERE device_id = batch_device AND decided[position] IN ('accepted', 'duplicate');
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
