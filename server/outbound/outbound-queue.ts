// An agent's outbound work list: their due callbacks first (soonest first, overdue included),
// then their share of the team's at-risk customers, by value at risk. The at-risk customers are
// split across the agents of the caller's team by a hash of the customer id, so every warned
// customer is on exactly one list of that team and the split is the same on every instance.
// Customers held out as a retention programme's control group are never called (server/outbound/held-out.ts).
import { DAY_MS } from '../../shared/domain/operator-time';
import { OUTBOUND_QUEUE_MAX, type OutboundCandidate, type OutboundQueueResponse } from '../../shared/contract/outbound-queue';
import type { SqlClient } from '../db/sql-client';
import { heldOutSql } from './held-out';

/** A customer contacted more recently than this is left alone. */
export const OUTBOUND_RECONTACT_DAYS = 30;

// The first 32 bits of md5(customer id): the same in PGlite and every PostgreSQL, unlike hashtext.
const CUSTOMER_HASH = `('x' || substr(md5(s.customer_id), 1, 8))::bit(32)::bigint`;
const VALUE_AT_RISK = `coalesce(s.churn_probability * (s.data->>'clv')::double precision, 0)`;

// The team is read from users, not the token, so a reassignment applies at once.
const TEAM_AGENTS = `SELECT id FROM users WHERE role = 'agent' AND team = (SELECT team FROM users WHERE id = $1) ORDER BY id`;

// Customers whose latest outcome is a callback this agent recorded.
const DUE_CALLBACKS = `WITH mine AS (
    SELECT DISTINCT customer_id FROM outcomes WHERE agent_id = $1 AND result = 'callback' AND customer_id IS NOT NULL
  ), latest AS (
    SELECT DISTINCT ON (o.customer_id) o.customer_id, o.agent_id, o.result, o.payload->'draft'->>'callbackAt' AS callback_at
    FROM outcomes o JOIN mine USING (customer_id)
    ORDER BY o.customer_id, o.recorded_at DESC, o.server_seq DESC
  )
  SELECT l.customer_id, l.callback_at, ${VALUE_AT_RISK} AS value_at_risk, h.last_contact_at
  FROM latest l
  JOIN customers c ON c.id = l.customer_id AND NOT c.deleted
  LEFT JOIN scores s ON s.customer_id = l.customer_id AND NOT s.deleted
  LEFT JOIN contact_history h ON h.customer_id = l.customer_id AND NOT h.deleted
  WHERE l.agent_id = $1 AND l.result = 'callback'
  ORDER BY l.callback_at::timestamptz, l.customer_id
  LIMIT $2`;

const AT_RISK_SHARE = `SELECT s.customer_id, ${VALUE_AT_RISK} AS value_at_risk, h.last_contact_at
  FROM scores s
  JOIN customers c ON c.id = s.customer_id AND NOT c.deleted
  LEFT JOIN contact_history h ON h.customer_id = s.customer_id AND NOT h.deleted
  WHERE NOT s.deleted AND s.warning_level IN ('red', 'orange')
    AND c.status = 'active' AND NOT (c.data->>'doNotDisturb')::boolean
    AND (h.last_contact_at IS NULL OR h.last_contact_at < $1::timestamptz)
    AND mod(${CUSTOMER_HASH}, $2) = $3
    AND s.customer_id NOT IN (SELECT jsonb_array_elements_text($4::jsonb))
    AND NOT ${heldOutSql('s.customer_id', 'c.data')}
  ORDER BY value_at_risk DESC, s.customer_id
  LIMIT $5`;

interface CandidateRow {
  customer_id: string;
  callback_at?: string;
  value_at_risk: number;
  last_contact_at: Date | string | null;
}

const candidate = (row: CandidateRow, slot: OutboundCandidate['slot']): OutboundCandidate => ({
  customerId: row.customer_id,
  slot,
  callbackAt: row.callback_at ?? null,
  valueAtRisk: Math.round(row.value_at_risk * 100) / 100,
  lastContactAt: row.last_contact_at === null ? null : new Date(row.last_contact_at).toISOString(),
});

/** An agent outside any team (or not an agent) gets their callbacks only: at-risk customers are shared out per team. */
export async function outboundQueue(db: SqlClient, agentId: string, now: Date = new Date()): Promise<OutboundQueueResponse> {
  const callbacks = (await db.query<CandidateRow>(DUE_CALLBACKS, [agentId, OUTBOUND_QUEUE_MAX])).map((r) => candidate(r, 'callback'));
  const team = (await db.query<{ id: string }>(TEAM_AGENTS, [agentId])).map((r) => r.id);
  const share = team.indexOf(agentId);
  const room = OUTBOUND_QUEUE_MAX - callbacks.length;
  const atRisk =
    share < 0 || room === 0
      ? []
      : await db.query<CandidateRow>(AT_RISK_SHARE, [
          new Date(now.getTime() - OUTBOUND_RECONTACT_DAYS * DAY_MS).toISOString(),
          team.length,
          share,
          JSON.stringify(callbacks.map((c) => c.customerId)),
          room,
        ]);
  return { generatedAt: now.toISOString(), candidates: [...callbacks, ...atRisk.map((r) => candidate(r, 'at_risk'))] };
}
