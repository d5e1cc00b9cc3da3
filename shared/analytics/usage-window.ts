// The 12-month usage window every signal is computed from (ARPU trend, value, churn features). A
// customer's monthly bills are synced as their own compact row (CustomerUsage); where a customer
// has one, it replaces the series of the customer document, so a month close changes that row and
// never the document. A customer without one (a book loaded as documents, like the demo book)
// keeps the document's series. Desk and server read through withUsage, so both compute alike.
import type { Customer, CustomerUsage } from '../contract/entities';
import { calendarMonths, monthAfter } from '../domain/dates';

export const WINDOW_MONTHS = 12;

/** One month's bill; `sms` is absent where a reader does not need it. */
export interface UsageMonth {
  month: string;
  arpu: number;
  dataGb: number;
  voiceMinutes: number;
  sms?: number;
}

/** The 12 months ending with `end` (YYYY-MM), oldest first. */
export function windowMonths(end: string): string[] {
  return calendarMonths(monthAfter(end, 1 - WINDOW_MONTHS), end);
}

/** The usage row of the 12 months ending with `endMonth`; a month without a bill counts as no spend and no use. */
export function usageWindow(customerId: string, bills: readonly UsageMonth[], endMonth: string): Omit<CustomerUsage, 'version'> {
  const byMonth = new Map(bills.map((bill) => [bill.month, bill]));
  const months = windowMonths(endMonth).map((month) => byMonth.get(month));
  return {
    customerId,
    endMonth,
    arpu: months.map((bill) => bill?.arpu ?? 0),
    dataGb: months.map((bill) => bill?.dataGb ?? 0),
    voiceMinutes: months.map((bill) => bill?.voiceMinutes ?? 0),
    sms: months.map((bill) => bill?.sms ?? 0),
  };
}

/** The customer with the series of their usage row, or as the document has them when there is none. */
export function withUsage(customer: Customer, usage: Pick<CustomerUsage, 'arpu' | 'dataGb' | 'voiceMinutes'> | null | undefined): Customer {
  if (usage === null || usage === undefined) return customer;
  return { ...customer, arpu: usage.arpu, dataUsageGb: usage.dataGb, voiceMinutes: usage.voiceMinutes };
}

/** Same bills in the same window: writing it again would only re-version the row. */
export const sameUsageWindow = (a: Omit<CustomerUsage, 'version'>, b: Omit<CustomerUsage, 'version'>): boolean =>
  a.endMonth === b.endMonth && (['arpu', 'dataGb', 'voiceMinutes', 'sms'] as const).every((series) => a[series].every((value, i) => value === b[series][i]));
