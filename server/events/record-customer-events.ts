// Applies a customer-event upload in ONE transaction, committed before the caller answers: each
// new event is stored, folded into its customer's counters (a new customer version in the
// change log) and the customer is re-scored with the current bundle by the same function the
// desk uses (rescoreCustomer), so the desk's immediate answer and the stored score agree.
// event_id is the idempotency key: a resent event answers 'duplicate' with the seq stored for
// it and is never folded twice.
//
// Before any bundle is published (a book never scored) the event is still folded into the
// customer, and the score is left as it is until the next batch run scores the book.
import type {
  CustomerEvent,
  CustomerEventBatchRequest,
  CustomerEventBatchResponse,
  CustomerEventKind,
  CustomerEventResult,
} from '../../shared/contract/customer-events';
import { Customer, type CustomerScore } from '../../shared/contract/entities';
import { rescoreCustomer, withCustomerEvents } from '../../shared/analytics/rescore-customer';
import { withUsage } from '../../shared/analytics/usage-window';
import type { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import type { SqlClient } from '../db/sql-client';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { lockChangeLogKeys, upsertCustomers, upsertScores, type WrittenRow } from '../sync/change-log';
import { readUsageWindows } from '../sync/usage-windows';

const INSERT_EVENT = `INSERT INTO customer_events
    (event_id, device_id, agent_id, customer_id, kind, recorded_at, applied_at_seq, payload)
  SELECT (r->'event'->>'eventId')::uuid, r->'event'->>'deviceId', r->'event'->>'agentId',
         r->'event'->'draft'->>'customerId', r->'event'->'draft'->>'kind',
         (r->'event'->>'recordedAt')::timestamptz, (r->>'appliedAtSeq')::bigint, r->'event'
  FROM jsonb_array_elements($1::jsonb) AS r
  ON CONFLICT DO NOTHING`;

type Rejection = { code: string; message: string };

/** Why an item cannot be applied, or null when it can. Checked only for ids not stored yet. */
function rejection(item: CustomerEvent, batchDeviceId: string, callerId: string, customers: ReadonlyMap<string, Customer>): Rejection | null {
  if (item.deviceId !== batchDeviceId)
    return { code: 'device_mismatch', message: `item deviceId '${item.deviceId}' differs from the batch deviceId '${batchDeviceId}'` };
  if (item.agentId !== callerId) return { code: 'agent_mismatch', message: `item agentId '${item.agentId}' is not the logged-in user '${callerId}'` };
  if (!customers.has(item.draft.customerId)) return { code: 'unknown_customer', message: `customer '${item.draft.customerId}' does not exist` };
  return null;
}

async function storedSeqs(tx: SqlClient, items: readonly CustomerEvent[]): Promise<Map<string, number>> {
  const rows = await tx.query<{ event_id: string; applied_at_seq: number }>(
    `SELECT event_id::text, applied_at_seq FROM customer_events WHERE event_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)`,
    [JSON.stringify(items.map((i) => i.eventId))],
  );
  return new Map(rows.map((r) => [r.event_id, r.applied_at_seq]));
}

async function liveCustomers(tx: SqlClient, items: readonly CustomerEvent[]): Promise<Map<string, Customer>> {
  const rows = await tx.query<{ data: unknown }>(`SELECT data FROM customers WHERE NOT deleted AND id IN (SELECT jsonb_array_elements_text($1::jsonb))`, [
    JSON.stringify([...new Set(items.map((i) => i.draft.customerId))]),
  ]);
  return new Map(rows.map((r) => Customer.parse(r.data)).map((c) => [c.id, c]));
}

/** Folds each customer's new events, re-scores them, and returns the highest change seq written per customer. */
async function foldAndRescore(
  tx: SqlClient,
  events: readonly CustomerEvent[],
  customers: ReadonlyMap<string, Customer>,
  bundle: ScoringBundle | null,
): Promise<Map<string, number>> {
  const kindsByCustomer = new Map<string, CustomerEventKind[]>();
  for (const { draft } of events) kindsByCustomer.set(draft.customerId, [...(kindsByCustomer.get(draft.customerId) ?? []), draft.kind]);
  const folded = [...kindsByCustomer].map(([id, kinds]) => withCustomerEvents(customers.get(id)!, kinds));
  const now = new Date();
  // The stored score's version is the server's to set; the value given here is replaced.
  // Scored on the series of their usage rows, as the batch scorer and the desk's card read them; the document keeps its own.
  const usage = bundle === null ? new Map() : await readUsageWindows(tx, [...kindsByCustomer.keys()]);
  const scores: CustomerScore[] =
    bundle === null ? [] : folded.map((customer) => ({ ...rescoreCustomer(withUsage(customer, usage.get(customer.id)), bundle, now), version: 1 }));
  const written: WrittenRow[] = [...(await upsertCustomers(tx, folded)), ...(await upsertScores(tx, scores))];
  const highest = new Map<string, number>();
  for (const row of written) highest.set(row.id, Math.max(highest.get(row.id) ?? 0, row.change_seq));
  return highest;
}

/** `callerId` is the authenticated user: an agent logs events only in their own name. */
export async function recordCustomerEvents(
  db: SqlClient,
  batch: CustomerEventBatchRequest,
  callerId: string,
  currentBundle: CurrentScoringBundle,
): Promise<CustomerEventBatchResponse> {
  return db.transaction(async (tx) => {
    const bundle = await currentBundle(tx);
    // The customers' locks, taken first, make the read-fold-write below safe against a concurrent
    // fold of the same customer (and the duplicate check safe against a concurrent resend, which
    // names the same customer), without risking a lock-order deadlock.
    await lockChangeLogKeys(
      tx,
      'customer',
      batch.items.map((i) => i.draft.customerId),
    );
    // An id stored earlier is a duplicate even if it would be rejected now (say, the customer was deleted since).
    const stored = await storedSeqs(tx, batch.items);
    const customers = await liveCustomers(tx, batch.items);

    const decisions: ({ item: CustomerEvent; rejected: Rejection } | { item: CustomerEvent; isNew: boolean })[] = [];
    const fresh: CustomerEvent[] = [];
    const seen = new Set(stored.keys());
    for (const item of batch.items) {
      const problem = seen.has(item.eventId) ? null : rejection(item, batch.deviceId, callerId, customers);
      if (problem !== null) {
        decisions.push({ item, rejected: problem });
        continue;
      }
      const isNew = !seen.has(item.eventId);
      if (isNew) fresh.push(item);
      seen.add(item.eventId);
      decisions.push({ item, isNew });
    }

    const seqByCustomer = await foldAndRescore(tx, fresh, customers, bundle);
    const appliedAt = new Map(stored);
    for (const event of fresh) appliedAt.set(event.eventId, seqByCustomer.get(event.draft.customerId)!);
    if (fresh.length > 0) await tx.query(INSERT_EVENT, [JSON.stringify(fresh.map((event) => ({ event, appliedAtSeq: appliedAt.get(event.eventId) })))]);

    const results: CustomerEventResult[] = decisions.map((d) =>
      'rejected' in d
        ? { eventId: d.item.eventId, status: 'rejected', ...d.rejected }
        : { eventId: d.item.eventId, status: d.isNew ? 'accepted' : 'duplicate', appliedAtSeq: appliedAt.get(d.item.eventId)! },
    );
    return { results };
  });
}
