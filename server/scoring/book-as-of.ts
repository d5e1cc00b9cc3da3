// The book as it stood on an earlier day, for training on the operator's own history
// (`clm features export`): each customer's record is wound back to that day, so the features are
// the ones `clm score` would have computed then, and the status is the one observed at the end of
// the label window after it (churned inside the window, or still there).
//
// Only history dated up to the as-of day counts:
// - monthly series: the bills in customer_usage up to the last month complete on the as-of day;
//   a customer without any bills (a book loaded as documents, like the demo book) keeps the months
//   of its document's window up to that month, the window being read as ending with the last month
//   complete today, as `clm score` reads it;
// - complaint and network-fault counts: recounted from the dated tickets and desk events, never
//   from the document's counters, which describe today;
// - customers who joined after the as-of day, or left on or before it, are not in the table; a
//   closed account without a churn date cannot be placed in time and is left out too.
import { withSeriesEndingAt } from '../../shared/analytics/churn-history';
import { withSignals, type SignalledCustomer } from '../../shared/analytics/score-book';
import type { Customer } from '../../shared/contract/entities';
import { DAY_MS } from '../../shared/domain/operator-time';
import { monthAfter } from '../../shared/domain/dates';
import type { SqlClient } from '../db/sql-client';
import { countTicketsAsOf } from '../import/import-complaints';
import { windowMonths, withUsageWindow, type UsageMonth } from '../import/usage-window';
import { customerPages, SCORING_PAGE_SIZE } from './rescore-book';

export interface BookAsOfOptions {
  /** YYYY-MM-DD: features use only what was known on this day. */
  asOf: string;
  /** Churn within this many days after `asOf` is the label. */
  labelWindowDays: number;
  /** The day the documents describe: their monthly window ends with the last month complete on it. */
  today: string;
}

export interface BookAsOfTally {
  exported: number;
  churnedInWindow: number;
  joinedLater: number;
  leftBefore: number;
  closedWithoutDate: number;
}

export const emptyTally = (): BookAsOfTally => ({ exported: 0, churnedInWindow: 0, joinedLater: 0, leftBefore: 0, closedWithoutDate: 0 });

const addDays = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The last month (YYYY-MM) complete at the end of `isoDate`. */
export function lastCompleteMonth(isoDate: string): string {
  return monthAfter(addDays(isoDate, 1).slice(0, 7), -1);
}

const monthNumber = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return year * 12 + m;
};

/** The day the label window closes: churn on or before it, after `asOf`, is a positive label. */
export const labelWindowEnd = (options: Pick<BookAsOfOptions, 'asOf' | 'labelWindowDays'>) => addDays(options.asOf, options.labelWindowDays);

async function billsByCustomer(db: SqlClient, ids: readonly string[], end: string): Promise<Map<string, UsageMonth[]>> {
  const months = windowMonths(end);
  // Every customer with any bill at all gets an entry: for them the bills, not the document, are the history.
  const rows = await db.query<UsageMonth & { customerId: string }>(
    `SELECT customer_id AS "customerId", month, arpu::float8 AS arpu, data_gb::float8 AS "dataGb", voice_minutes::float8 AS "voiceMinutes"
     FROM customer_usage WHERE customer_id = ANY($1) AND month BETWEEN $2 AND $3
     UNION ALL
     SELECT DISTINCT customer_id, NULL::text, NULL::float8, NULL::float8, NULL::float8 FROM customer_usage WHERE customer_id = ANY($1)`,
    [ids, months[0], months.at(-1)],
  );
  const byCustomer = new Map<string, UsageMonth[]>();
  for (const { customerId, ...bill } of rows) {
    const bills = byCustomer.get(customerId) ?? [];
    if (bill.month !== null) bills.push(bill);
    byCustomer.set(customerId, bills);
  }
  return byCustomer;
}

/**
 * Pages of customers as of `asOf`, with the features `clm score` computes (customerSignals on the
 * wound-back record) and the status observed at the end of the label window; `tally` counts them.
 */
export async function* bookAsOf(db: SqlClient, options: BookAsOfOptions, tally: BookAsOfTally): AsyncGenerator<SignalledCustomer[]> {
  const windowEnd = labelWindowEnd(options);
  const asOfMonth = lastCompleteMonth(options.asOf);
  const monthsSinceAsOf = monthNumber(lastCompleteMonth(options.today)) - monthNumber(asOfMonth);
  for await (const page of customerPages(db, SCORING_PAGE_SIZE)) {
    const present = page.filter((customer) => {
      if (customer.joinDate > options.asOf) return void (tally.joinedLater += 1);
      if (customer.status === 'churned' && customer.churnDate === null) return void (tally.closedWithoutDate += 1);
      if (customer.churnDate !== null && customer.churnDate <= options.asOf) return void (tally.leftBefore += 1);
      return true;
    });
    if (present.length === 0) continue;
    const ids = present.map((customer) => customer.id);
    const bills = await billsByCustomer(db, ids, asOfMonth);
    const counts = new Map((await countTicketsAsOf(db, ids, options.asOf)).map(({ id, ...count }) => [id, count]));
    const asOf = present.map((customer): Customer => {
      const history = bills.get(customer.id);
      const series =
        history === undefined
          ? withSeriesEndingAt(customer, Math.min(customer.arpu.length - 1, Math.max(-1, customer.arpu.length - 1 - monthsSinceAsOf)))
          : withUsageWindow(customer, history, asOfMonth);
      const churned = customer.churnDate !== null && customer.churnDate <= windowEnd;
      if (churned) tally.churnedInWindow += 1;
      return {
        ...series,
        ...counts.get(customer.id),
        status: churned ? 'churned' : 'active',
        churnDate: churned ? customer.churnDate : null,
      };
    });
    tally.exported += asOf.length;
    yield withSignals(asOf, new Date(`${options.asOf}T00:00:00Z`));
  }
}
