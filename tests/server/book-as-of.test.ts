// The book wound back to an earlier day for `clm features export`: only bills, tickets and
// departures dated up to that day shape the features; churn in the window after it is the label.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalledCustomer } from '../../shared/analytics/score-book';
import type { Customer } from '../../shared/contract/entities';
import { openSqlClient } from '../../server/db/open-sql-client';
import { runMigrations } from '../../server/db/migrate';
import type { SqlClient } from '../../server/db/sql-client';
import { bookAsOf, emptyTally, lastCompleteMonth } from '../../server/scoring/book-as-of';
import { generateDemoCustomer } from '../../server/seed/demo-customers';
import { upsertCustomers } from '../../server/sync/change-log';

const OPTIONS = { asOf: '2025-12-31', labelWindowDays: 90, today: '2026-12-07' };
const twelve = (value: number) => new Array<number>(12).fill(value);

function customer(id: string, overrides: Partial<Customer>): Customer {
  return {
    ...generateDemoCustomer(0),
    id,
    phone: `1380000${id.padStart(4, '0')}`,
    joinDate: '2024-01-15',
    contractEnd: null,
    status: 'active',
    churnDate: null,
    // Today's document: low spend and many complaints, none of which the as-of day knew.
    arpu: twelve(10),
    dataUsageGb: twelve(1),
    voiceMinutes: twelve(10),
    complaints30d: 5,
    complaints90d: 9,
    networkIssues90d: 4,
    ...overrides,
  };
}

let db: SqlClient;
beforeAll(async () => {
  ({ db } = await openSqlClient({}));
  await runMigrations(db);
  await db.transaction((tx) =>
    upsertCustomers(tx, [
      customer('1', {}),
      customer('2', { status: 'churned', churnDate: '2026-02-10' }),
      customer('3', { status: 'churned', churnDate: '2025-10-01' }),
      customer('4', { joinDate: '2026-01-05' }),
      customer('5', { status: 'churned', churnDate: '2026-06-01' }),
      customer('6', { status: 'churned', churnDate: null }),
    ]),
  );
  // Customer 1's bills: steady at 100 through 2025, then a fall the as-of day cannot know about.
  const months = Array.from({ length: 18 }, (_, i) => new Date(Date.UTC(2025, i, 1)).toISOString().slice(0, 7));
  for (const month of months)
    await db.query('INSERT INTO customer_usage (customer_id, month, arpu, data_gb, voice_minutes, sms) VALUES ($1, $2, $3, 10, 100, 0)', [
      '1',
      month,
      month < '2026-01' ? 100 : 10,
    ]);
  await db.query(
    `INSERT INTO customer_tickets (ticket_id, customer_id, opened_on, category) VALUES
       ('T1', '1', '2025-12-20', 'complaint'), ('T2', '1', '2026-03-01', 'complaint'), ('T3', '1', '2025-11-01', 'network_issue')`,
  );
});
afterAll(() => db.close());

describe('the book as of an earlier day', () => {
  it('uses only what was dated up to that day and labels churn in the window after it', async () => {
    const tally = emptyTally();
    const items: SignalledCustomer[] = [];
    for await (const page of bookAsOf(db, OPTIONS, tally)) items.push(...page);
    const byId = new Map(items.map((item) => [item.customer.id, item]));

    expect([...byId.keys()].sort()).toEqual(['1', '2', '5']);
    expect(tally).toEqual({ exported: 3, churnedInWindow: 1, joinedLater: 1, leftBefore: 1, closedWithoutDate: 1 });

    const steady = byId.get('1')!;
    expect(steady.customer.arpu).toEqual(twelve(100));
    expect(steady.signals.arpu3m).toBe(100);
    expect(steady.signals.arpuTrend3m).toBe(0);
    expect(steady.signals.tenureMonths).toBe(23);
    expect(steady.customer).toMatchObject({ complaints30d: 1, complaints90d: 1, networkIssues90d: 1, status: 'active' });

    expect(byId.get('2')!.customer).toMatchObject({ status: 'churned', churnDate: '2026-02-10', complaints30d: 0 });
    // Left after the window closed: still a customer when the window ended.
    expect(byId.get('5')!.customer).toMatchObject({ status: 'active', churnDate: null });
  });

  it('reads the last complete month at the end of a day', () => {
    expect(lastCompleteMonth('2025-12-31')).toBe('2025-12');
    expect(lastCompleteMonth('2025-12-30')).toBe('2025-11');
    expect(lastCompleteMonth('2026-01-01')).toBe('2025-12');
  });
});
