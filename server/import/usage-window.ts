// The customer's 12-month window built from their bills in customer_usage (shared/analytics/usage-window.ts
// holds the rule). The import writes it as the customer's synced usage row; `clm features export`
// winds it back to an earlier month.
import type { Customer } from '../../shared/contract/entities';
import { usageWindow, withUsage, type UsageMonth } from '../../shared/analytics/usage-window';

export { windowMonths, type UsageMonth } from '../../shared/analytics/usage-window';

/** The customer's series from their bills; a month without a bill counts as no spend and no use. */
export function withUsageWindow(customer: Customer, usage: readonly UsageMonth[], end: string): Customer {
  return withUsage(customer, usageWindow(customer.id, usage, end));
}
