// `clm privacy erase`: an erasure request for one customer, in ONE transaction. Rows that only
// describe the customer go; rows that record what staff did (outcomes, customer events, card views,
// discarded calls, CTI calls) stay for the reports and the audit, without the personal fields
// (numbers, notes). The customer and its score, contact history and usage row become tombstones in the change
// log, which is how every desk learns to drop them from its cache. The erasure itself is recorded
// (who, when, why, what was touched) with nothing personal but the customer's internal id.
import type { SqlClient } from '../db/sql-client';
import { deleteSyncedRow } from '../sync/change-log';
import { CUSTOMER_OUTCOMES, CUSTOMER_PHONES, customerExists, UnknownCustomerError } from './customer-records';

interface ErasureStep {
  /** What the count is reported as. */
  target: string;
  /** $1 the customer id; returns one row per row touched. */
  sql: string;
}

const deleteWhereCustomer = (table: string): ErasureStep => ({ target: table, sql: `DELETE FROM ${table} WHERE customer_id = $1 RETURNING 1` });

// In order: the steps that find rows by the customer's numbers run before the numbers are deleted.
const ERASURE_STEPS: readonly ErasureStep[] = [
  {
    target: 'outcomes (note and number blanked)',
    sql: `UPDATE outcomes SET payload = jsonb_set(jsonb_set(payload, '{draft,note}', '""'), '{draft,phone}', 'null')
      WHERE ${CUSTOMER_OUTCOMES} RETURNING 1`,
  },
  {
    target: 'customer_events (note blanked)',
    sql: `UPDATE customer_events SET payload = jsonb_set(payload, '{draft,note}', '""') WHERE customer_id = $1 RETURNING 1`,
  },
  {
    target: 'card_view_audit (number removed)',
    sql: `UPDATE card_view_audit SET phone_masked = NULL WHERE customer_id = $1 RETURNING 1`,
  },
  {
    target: 'interaction_discards (number and note removed)',
    sql: `UPDATE interaction_discards SET phone_masked = NULL, draft = jsonb_set(draft, '{note}', '""', false) WHERE customer_id = $1 RETURNING 1`,
  },
  // The call stays (reports count answered calls); the caller's number goes.
  { target: 'cti_calls (number removed)', sql: `UPDATE cti_calls SET ani = '' WHERE ani IN ${CUSTOMER_PHONES} RETURNING 1` },
  deleteWhereCustomer('customer_usage'),
  deleteWhereCustomer('customer_tickets'),
  deleteWhereCustomer('customer_profiles'),
  deleteWhereCustomer('customer_extra_phones'),
  // The churn scores kept for model monitoring describe only this customer.
  deleteWhereCustomer('model_predictions'),
];

export interface ErasureRequest {
  customerId: string;
  /** Who asked for it to be done (the operator running the command). */
  erasedBy: string;
  reason: string;
  now: Date;
}

export type ErasureResult =
  | { status: 'erased'; customerId: string; erasedAt: string; rows: Record<string, number> }
  | { status: 'already_erased'; customerId: string; erasedAt: string; erasedBy: string };

export async function eraseCustomer(db: SqlClient, request: ErasureRequest): Promise<ErasureResult> {
  const { customerId } = request;
  return db.transaction(async (tx) => {
    const [done] = await tx.query<{ erased_at: Date; erased_by: string }>('SELECT erased_at, erased_by FROM privacy_erasures WHERE customer_id = $1', [
      customerId,
    ]);
    if (done) return { status: 'already_erased', customerId, erasedAt: new Date(done.erased_at).toISOString(), erasedBy: done.erased_by };
    if (!(await customerExists(tx, customerId))) throw new UnknownCustomerError(customerId);

    const rows: Record<string, number> = {};
    for (const step of ERASURE_STEPS) rows[step.target] = (await tx.query(step.sql, [customerId])).length;
    let tombstones = 0;
    for (const entity of ['customer', 'contact_history', 'usage'] as const) tombstones += (await deleteSyncedRow(tx, entity, customerId)).length;
    rows['change log tombstones (customer, score, contact history, usage)'] = tombstones;
    const erasedAt = request.now.toISOString();
    await tx.query('INSERT INTO privacy_erasures (customer_id, erased_by, reason, erased_at, rows) VALUES ($1, $2, $3, $4::timestamptz, $5::jsonb)', [
      customerId,
      request.erasedBy,
      request.reason,
      erasedAt,
      JSON.stringify(rows),
    ]);
    return { status: 'erased', customerId, erasedAt, rows };
  });
}
