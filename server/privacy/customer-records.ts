// Where the central database keeps rows about one customer: the one list the subject-access export
// reads and the erasure is checked against. Every statement takes one parameter, $1, the customer id;
// rows that know the caller only by number are found by the customer's current numbers.
import type { SqlClient } from '../db/sql-client';

export interface CustomerRecordSection {
  name: string;
  sql: string;
}

const rowsWhere = (table: string, condition: string, order: string) => `SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${condition} ORDER BY ${order}`;

/** The customer's main and extra numbers: gone once the customer is erased, so read them first. */
export const CUSTOMER_PHONES = `(SELECT phone FROM customers WHERE id = $1 AND phone IS NOT NULL
  UNION SELECT phone FROM customer_extra_phones WHERE customer_id = $1)`;

/** Outcomes about the customer, or dialled to one of its numbers with no customer recognised. */
export const CUSTOMER_OUTCOMES = `(customer_id = $1 OR payload->'draft'->>'phone' IN ${CUSTOMER_PHONES})`;

export const CUSTOMER_RECORD_SECTIONS: readonly CustomerRecordSection[] = [
  { name: 'customers', sql: rowsWhere('customers', 'id = $1', 'id') },
  { name: 'scores', sql: rowsWhere('scores', 'customer_id = $1', 'customer_id') },
  { name: 'contact_history', sql: rowsWhere('contact_history', 'customer_id = $1', 'customer_id') },
  { name: 'customer_profiles', sql: rowsWhere('customer_profiles', 'customer_id = $1', 'customer_id') },
  { name: 'customer_extra_phones', sql: rowsWhere('customer_extra_phones', 'customer_id = $1', 'phone') },
  { name: 'customer_usage', sql: rowsWhere('customer_usage', 'customer_id = $1', 'month') },
  { name: 'customer_tickets', sql: rowsWhere('customer_tickets', 'customer_id = $1', 'opened_on, ticket_id') },
  { name: 'outcomes', sql: rowsWhere('outcomes', CUSTOMER_OUTCOMES, 'server_seq') },
  { name: 'fulfilment_orders', sql: rowsWhere('fulfilment_orders', 'customer_id = $1', 'id') },
  { name: 'customer_events', sql: rowsWhere('customer_events', 'customer_id = $1', 'server_seq') },
  { name: 'cti_calls', sql: rowsWhere('cti_calls', `ani IN ${CUSTOMER_PHONES}`, 'id') },
  { name: 'card_view_audit', sql: rowsWhere('card_view_audit', 'customer_id = $1', 'server_seq') },
  { name: 'interaction_discards', sql: rowsWhere('interaction_discards', 'customer_id = $1', 'server_seq') },
  // Which retention programme group the customer was drawn into (kept at erasure: it names only the internal id).
  { name: 'programme_assignments', sql: rowsWhere('programme_assignments', 'customer_id = $1', 'programme_id') },
  // The churn scores kept for model monitoring (champion and shadow).
  { name: 'model_predictions', sql: rowsWhere('model_predictions', 'customer_id = $1', 'scored_on, role, model_id') },
];

export class UnknownCustomerError extends Error {
  override readonly name = 'UnknownCustomerError';
  constructor(readonly customerId: string) {
    super(`no customer with id "${customerId}"`);
  }
}

/** Whether the id names a customer row (live or a tombstone). */
export async function customerExists(db: SqlClient, customerId: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
  return rows.length > 0;
}

/** The customer's main and extra numbers (none left once erased). */
export async function customerPhones(db: SqlClient, customerId: string): Promise<string[]> {
  const rows = await db.query<{ phone: string }>(`SELECT phone FROM ${CUSTOMER_PHONES} AS p ORDER BY phone`, [customerId]);
  return rows.map((r) => r.phone);
}
