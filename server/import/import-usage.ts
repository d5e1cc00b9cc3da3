// Monthly bills and usage: appended to customer_usage (one row per customer and month, upserted
// by that pair), then each touched customer's 12-month window is re-derived from their bills and
// published as their usage row (CustomerUsage) when it differs from the one desks hold. The
// customer document is never written here: a month close costs each desk one compact row per
// billed customer in its scope, not a new version of every customer document.
//
// Why one row per customer and not one per customer and month: a month row would be about half
// the bytes on the wire, but the synced tables are keyed by one id, and a customer's rows must
// follow the customer into and out of a cache scope and be tombstoned with it; one row per customer
// does all that through the change log's own writers, stays bounded (12 months, nothing to prune
// on the desk) and is read with the card in the same index probe as the customer.
import { sameUsageWindow, usageWindow, windowMonths, type UsageMonth } from '../../shared/analytics/usage-window';
import type { SqlClient } from '../db/sql-client';
import { lockChangeLog, upsertUsageWindows } from '../sync/change-log';
import { readUsageWindows } from '../sync/usage-windows';
import {
  emptyBatchResult,
  inTransactionUnlessDry,
  writtenWhenItsTurnComes,
  type BatchResult,
  type EntityImporter,
  type ImportContext,
  type SourceRow,
} from './entity-importer';

interface UsageRow extends UsageMonth {
  customerId: string;
  sms: number;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Rounded as the table stores them, so comparing with a stored row is exact. */
function usageOf(values: SourceRow['values']): UsageRow {
  return {
    customerId: values.customerId as string,
    month: values.month as string,
    arpu: round(values.arpu as number, 2),
    dataGb: round(values.dataGb as number, 3),
    voiceMinutes: round(values.voiceMinutes as number, 1),
    sms: values.sms as number,
  };
}

const sameUsage = (a: UsageRow, b: UsageRow) => a.arpu === b.arpu && a.dataGb === b.dataGb && a.voiceMinutes === b.voiceMinutes && a.sms === b.sms;
const pairKey = (u: { customerId: string; month: string }) => `${u.customerId}\u0000${u.month}`;

const USAGE_COLUMNS = `customer_id AS "customerId", month, arpu::float8 AS arpu, data_gb::float8 AS "dataGb", voice_minutes::float8 AS "voiceMinutes", sms`;

async function windows(client: SqlClient, customerIds: readonly string[], end: string): Promise<Map<string, UsageRow[]>> {
  const months = windowMonths(end);
  const rows = await client.query<UsageRow>(`SELECT ${USAGE_COLUMNS} FROM customer_usage WHERE customer_id = ANY($1) AND month BETWEEN $2 AND $3`, [
    customerIds,
    months[0],
    months.at(-1),
  ]);
  const byCustomer = new Map<string, UsageRow[]>();
  for (const row of rows) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
  return byCustomer;
}

async function applyBatch(db: SqlClient, batch: readonly SourceRow[], context: ImportContext): Promise<BatchResult> {
  return inTransactionUnlessDry(db, context, async (client) => {
    // Taken first so an erasure cannot slip between the book check below and the usage rows written after it.
    if (!context.dryRun) await lockChangeLog(client);
    const usage = batch.map((r) => usageOf(r.values));
    const customerIds = [...new Set(usage.map((u) => u.customerId))];
    const inBook = new Set((await client.query<{ id: string }>('SELECT id FROM customers WHERE NOT deleted AND id = ANY($1)', [customerIds])).map((r) => r.id));
    const stored = await client.query<UsageRow>(
      `SELECT ${USAGE_COLUMNS} FROM customer_usage WHERE (customer_id, month) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [usage.map((u) => u.customerId), usage.map((u) => u.month)],
    );
    const before = new Map(stored.map((u) => [pairKey(u), u]));
    const result = emptyBatchResult();
    const changed: UsageRow[] = [];
    batch.forEach(({ row, raw }, i) => {
      const item = usage[i]!;
      if (!inBook.has(item.customerId))
        return result.rejected.push({
          row,
          raw,
          problem: { column: 'customerId', value: item.customerId, reason: `customer "${item.customerId}" is not in the book (import customers first)` },
        });
      if (item.month > context.asOf.slice(0, 7))
        return result.rejected.push({
          row,
          raw,
          problem: { column: 'month', value: item.month, reason: `month ${item.month} is after the import day ${context.asOf} (a bill not yet due?)` },
        });
      const old = before.get(pairKey(item));
      if (old === undefined) result.inserted += 1;
      else if (sameUsage(old, item)) return (result.unchanged += 1);
      else result.updated += 1;
      changed.push(item);
    });
    if (context.dryRun || changed.length === 0) return result;
    await client.query(
      `INSERT INTO customer_usage (customer_id, month, arpu, data_gb, voice_minutes, sms)
       SELECT u."customerId", u.month, u.arpu, u."dataGb", u."voiceMinutes", u.sms
       FROM jsonb_to_recordset($1::jsonb) AS u("customerId" text, month text, arpu numeric, "dataGb" numeric, "voiceMinutes" numeric, sms integer)
       ON CONFLICT (customer_id, month) DO UPDATE SET arpu = EXCLUDED.arpu, data_gb = EXCLUDED.data_gb, voice_minutes = EXCLUDED.voice_minutes, sms = EXCLUDED.sms`,
      [JSON.stringify(changed)],
    );
    const end = context.usageWindowEnd!;
    const touched = [...new Set(changed.map((u) => u.customerId))];
    const bills = await windows(client, touched, end);
    const held = await readUsageWindows(client, touched);
    const publish = touched
      .map((id) => usageWindow(id, bills.get(id) ?? [], end))
      .filter((next) => {
        const current = held.get(next.customerId);
        return current === undefined || !sameUsageWindow(current, next);
      })
      // The server sets the version (change-log.ts); the value given here is replaced.
      .map((next) => ({ ...next, version: 1 }));
    await upsertUsageWindows(client, publish);
    return result;
  });
}

export const usageImporter: EntityImporter = { entity: 'usage', uniqueWithinFile: () => [], prepareBatch: writtenWhenItsTurnComes(applyBatch) };
