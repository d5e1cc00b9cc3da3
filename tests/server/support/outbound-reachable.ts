// The warned customers an outbound retention call may go to, worked out from the rows themselves
// (not from the queue's SQL): red or orange, active, not do-not-disturb, not contacted recently.
import type { Customer, CustomerScore } from '../../../shared/contract/entities';
import { DAY_MS } from '../../../shared/domain/operator-time';
import type { SqlClient } from '../../../server/db/sql-client';
import { OUTBOUND_RECONTACT_DAYS } from '../../../server/outbound/outbound-queue';

/** Customer id → value at risk (churn probability × CLV). */
export async function reachableAtRisk(db: SqlClient): Promise<Map<string, number>> {
  const rows = await db.query<{ customer: Customer; score: CustomerScore; last_contact_at: Date | null }>(
    `SELECT c.data AS customer, s.data AS score, h.last_contact_at FROM customers c JOIN scores s ON s.customer_id = c.id
     LEFT JOIN contact_history h ON h.customer_id = c.id`,
  );
  const recent = Date.now() - OUTBOUND_RECONTACT_DAYS * DAY_MS;
  return new Map(
    rows
      .filter(
        ({ customer, score, last_contact_at }) =>
          ['red', 'orange'].includes(score.warningLevel) &&
          customer.status === 'active' &&
          !customer.doNotDisturb &&
          (last_contact_at === null || new Date(last_contact_at).getTime() < recent),
      )
      .map(({ score }) => [score.customerId, score.churnProbability * score.clv]),
  );
}
