// Keeps the monthly partitions of the tables that grow with time (migration 0016) ahead of the
// calendar: the API runs it when it starts and then daily, and `clm partitions ensure` runs it by
// hand. Rows whose month has no partition wait in the table's default partition (a desk with a
// wrong clock, history loaded for past months); each run gives those months their partition too.
import type { SqlClient } from './sql-client';
import { advisoryXactLockSql } from './advisory-locks';

/** Each time-partitioned table and the column its months are cut by. */
export const TIME_PARTITIONED_TABLES = {
  outcomes: 'recorded_at',
  card_view_audit: 'received_at',
  cti_calls: 'received_at',
  customer_events: 'received_at',
} as const;
export type TimePartitionedTable = keyof typeof TIME_PARTITIONED_TABLES;

/** The current month and this many after it always have a partition. */
export const MONTHS_AHEAD = 2;
const PARTITION_MAINTENANCE_LOCK = 7_310_006;
const DAY_MS = 86_400_000;

/** First day of a UTC month, as 'YYYY-MM-DD'. */
const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);

/** A month partition's name: its table and its UTC month ('YYYY-MM-DD' first day), as ensure_month_partition (migration 0016) names it. */
const monthPartitionName = (table: string, month: string) => `${table}_p${month.slice(0, 4)}${month.slice(5, 7)}`;

const MONTH_SUFFIX = /_p(\d{4})(\d{2})$/;

/** When a month partition's month ends (epoch ms), or null for a name that is not a month partition (the default). */
export function monthPartitionEnd(name: string): number | null {
  const month = MONTH_SUFFIX.exec(name);
  return month === null ? null : Date.UTC(Number(month[1]), Number(month[2]), 1);
}

export function monthsFrom(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) => monthStart(now.getUTCFullYear(), now.getUTCMonth() + i));
}

/** Creates the partitions missing; returns their names. Safe to run from several instances at once. */
export async function ensureMonthPartitions(db: SqlClient, now: Date, monthsAhead = MONTHS_AHEAD): Promise<string[]> {
  const ahead = monthsFrom(now, monthsAhead + 1);
  const created: string[] = [];
  for (const [table, key] of Object.entries(TIME_PARTITIONED_TABLES)) {
    await db.transaction(async (tx) => {
      await tx.query(advisoryXactLockSql(PARTITION_MAINTENANCE_LOCK));
      // Strays up to the last month kept ahead get their month; later ones (a clock years off) stay in the default.
      const strays = await tx.query<{ month: string }>(
        `SELECT DISTINCT to_char(date_trunc('month', ${key} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS month FROM ${table}_default
         WHERE ${key} < ($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC'`,
        [ahead.at(-1)],
      );
      for (const month of [...new Set([...ahead, ...strays.map((s) => s.month)])].sort()) {
        const [row] = await tx.query<{ made: boolean }>('SELECT ensure_month_partition($1, $2::date) AS made', [table, month]);
        if (row?.made === true) created.push(monthPartitionName(table, month));
      }
    });
  }
  return created;
}

/** Runs the maintenance every day until stopped; a failed run is logged and tried again the next day. */
export function scheduleMonthPartitions(db: SqlClient, clock: () => Date, log: { error(message: string): void }): () => void {
  const run = () =>
    ensureMonthPartitions(db, clock()).catch((error: unknown) =>
      log.error(`partition maintenance failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
