// Server-side readers of the book see each customer with the monthly series of their synced usage
// row (CustomerUsage) where there is one, exactly as the desk's card does (withUsage in
// shared/analytics/usage-window.ts): in TypeScript for a few customers, in SQL for the batch
// readers that hand the document on as text (the scorer's pages).
import { CustomerUsage } from '../../shared/contract/entities';
import type { SqlClient } from '../db/sql-client';

/** Joins each customer `c` to their live usage row `u` (absent for a customer without bills). */
export const USAGE_WINDOW_JOIN = 'LEFT JOIN customer_usage_windows u ON u.customer_id = c.id AND NOT u.deleted';

/** The document `c.data` with the series of `u` (joined by USAGE_WINDOW_JOIN), as jsonb: withUsage in SQL. */
export const CUSTOMER_WITH_USAGE_SQL = `CASE WHEN u.data IS NULL THEN c.data
  ELSE c.data || jsonb_build_object('arpu', u.data->'arpu', 'dataUsageGb', u.data->'dataGb', 'voiceMinutes', u.data->'voiceMinutes') END`;

/** The live usage rows of these customers, by customer id. */
export async function readUsageWindows(db: SqlClient, customerIds: readonly string[]): Promise<Map<string, CustomerUsage>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.query<{ data: unknown }>('SELECT data FROM customer_usage_windows WHERE NOT deleted AND customer_id = ANY($1)', [customerIds]);
  return new Map(rows.map((row) => CustomerUsage.parse(row.data)).map((usage) => [usage.customerId, usage]));
}
