// Complaint and network-fault tickets. Stored by ticket number; each touched customer's 30- and
// 90-day counters are recounted as of the import's day from the tickets and from the events
// agents logged on their desks (customer_events), and re-published only when a count changed.
import { Customer } from '../../shared/contract/entities';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLog, upsertCustomers } from '../sync/change-log';
import {
  emptyBatchResult,
  inTransactionUnlessDry,
  writtenWhenItsTurnComes,
  type BatchResult,
  type EntityImporter,
  type ImportContext,
  type SourceRow,
} from './entity-importer';

interface Ticket {
  ticketId: string;
  customerId: string;
  openedOn: string;
  category: 'complaint' | 'network_issue';
}

export interface Counts {
  id: string;
  complaints30d: number;
  complaints90d: number;
  networkIssues90d: number;
}

const ticketOf = (values: SourceRow['values']) => values as unknown as Ticket;
const sameTicket = (a: Ticket, b: Ticket) => a.customerId === b.customerId && a.openedOn === b.openedOn && a.category === b.category;

/** Counts in the windows ending on `asOf` (inclusive): tickets by their date, desk events by when they were logged. */
const COUNTS_SQL = `
  WITH happened AS (
    SELECT customer_id, category AS kind, opened_on AS day FROM customer_tickets WHERE customer_id = ANY($1)
    UNION ALL
    SELECT customer_id, kind, (recorded_at AT TIME ZONE 'UTC')::date FROM customer_events WHERE customer_id = ANY($1)
  )
  SELECT i.id,
    count(*) FILTER (WHERE h.kind = 'complaint' AND h.day > $2::date - 30)::int AS "complaints30d",
    count(*) FILTER (WHERE h.kind = 'complaint' AND h.day > $2::date - 90)::int AS "complaints90d",
    count(*) FILTER (WHERE h.kind = 'network_issue' AND h.day > $2::date - 90)::int AS "networkIssues90d"
  FROM unnest($1::text[]) AS i(id) LEFT JOIN happened h ON h.customer_id = i.id AND h.day <= $2::date
  GROUP BY i.id`;

/** Each customer's complaint and network-fault counts in the 30 and 90 days ending on `asOf`, from dated records only. */
export function countTicketsAsOf(client: SqlClient, customerIds: readonly string[], asOf: string): Promise<Counts[]> {
  return client.query<Counts>(COUNTS_SQL, [customerIds, asOf]);
}

async function applyBatch(db: SqlClient, batch: readonly SourceRow[], context: ImportContext): Promise<BatchResult> {
  return inTransactionUnlessDry(db, context, async (client) => {
    if (!context.dryRun) await lockChangeLog(client);
    const tickets = batch.map((r) => ticketOf(r.values));
    const customerRows = await client.query<{ id: string; data: unknown }>('SELECT id, data FROM customers WHERE NOT deleted AND id = ANY($1)', [
      [...new Set(tickets.map((t) => t.customerId))],
    ]);
    const customers = new Map(customerRows.map((r) => [r.id, Customer.parse(r.data)]));
    const stored = await client.query<Ticket>(
      `SELECT ticket_id AS "ticketId", customer_id AS "customerId", to_char(opened_on, 'YYYY-MM-DD') AS "openedOn", category
       FROM customer_tickets WHERE ticket_id = ANY($1)`,
      [tickets.map((t) => t.ticketId)],
    );
    const before = new Map(stored.map((t) => [t.ticketId, t]));
    const result = emptyBatchResult();
    const changed: Ticket[] = [];
    batch.forEach(({ row, raw }, i) => {
      const ticket = tickets[i]!;
      if (!customers.has(ticket.customerId))
        return result.rejected.push({
          row,
          raw,
          problem: { column: 'customerId', value: ticket.customerId, reason: `customer "${ticket.customerId}" is not in the book (import customers first)` },
        });
      const old = before.get(ticket.ticketId);
      if (old === undefined) result.inserted += 1;
      else if (sameTicket(old, ticket)) return (result.unchanged += 1);
      else result.updated += 1;
      changed.push(ticket);
    });
    if (context.dryRun || changed.length === 0) return result;
    await client.query(
      `INSERT INTO customer_tickets (ticket_id, customer_id, opened_on, category)
       SELECT t."ticketId", t."customerId", t."openedOn"::date, t.category
       FROM jsonb_to_recordset($1::jsonb) AS t("ticketId" text, "customerId" text, "openedOn" text, category text)
       ON CONFLICT (ticket_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, opened_on = EXCLUDED.opened_on, category = EXCLUDED.category`,
      [JSON.stringify(changed)],
    );
    // A ticket moved to another customer changes the counts of both.
    const touched = [...new Set([...changed.map((t) => t.customerId), ...changed.flatMap((t) => before.get(t.ticketId)?.customerId ?? [])])];
    const counts = await countTicketsAsOf(client, touched, context.asOf);
    const live = await client.query<{ id: string; data: unknown }>('SELECT id, data FROM customers WHERE NOT deleted AND id = ANY($1)', [touched]);
    const current = new Map(live.map((r) => [r.id, Customer.parse(r.data)]));
    const republish = counts.flatMap(({ id, ...count }) => {
      const customer = current.get(id);
      if (customer === undefined) return [];
      const same =
        customer.complaints30d === count.complaints30d &&
        customer.complaints90d === count.complaints90d &&
        customer.networkIssues90d === count.networkIssues90d;
      return same ? [] : [{ ...customer, ...count }];
    });
    result.republished = (await upsertCustomers(client, republish)).length;
    return result;
  });
}

export const complaintsImporter: EntityImporter = { entity: 'complaints', uniqueWithinFile: () => [], prepareBatch: writtenWhenItsTurnComes(applyBatch) };
