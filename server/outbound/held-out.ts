// The SQL twin of shared/programmes/control-group.ts isHeldOut, for the outbound queue: a customer
// recorded in a programme's control group, unless an ethical limit of that programme protects them
// now (the customer's current counters, as the card reads them, so a complaint releases them at once).
import { HOLD_OUT_EXEMPTIONS } from '../../shared/contract/retention-programmes';
import { EXEMPTION_COUNTERS } from '../../shared/programmes/control-group';

const PROGRAMMES = `SELECT DISTINCT data->'programme'->>'id' AS id, data->'programme'->'neverHoldOut' AS never_hold_out
  FROM offers WHERE NOT deleted AND jsonb_typeof(data->'programme') = 'object'`;

/** True when the customer (`customerId`, document `customerData`, both SQL expressions) is held out of some programme. */
export function heldOutSql(customerId: string, customerData: string): string {
  const protectedBy = HOLD_OUT_EXEMPTIONS.map(
    (exemption) => `(p.never_hold_out ? '${exemption}' AND (${customerData}->>'${EXEMPTION_COUNTERS[exemption]}')::int > 0)`,
  ).join(' OR ');
  return `EXISTS (SELECT 1 FROM programme_assignments a JOIN (${PROGRAMMES}) p ON p.id = a.programme_id
    WHERE a.customer_id = ${customerId} AND a.arm = 'control' AND NOT (${protectedBy}))`;
}
