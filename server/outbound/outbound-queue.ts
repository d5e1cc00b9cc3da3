// An agent's outbound work list: their due callbacks first (soonest first, overdue included),
// then their share of the at-risk customers, by value at risk. Each at-risk customer is on exactly
// one agent's list across all teams, the same on every instance: a hash of the customer id picks
// one of the teams whose desks cache them (a team without a cache scope caches the whole book; a
// scoped team its scope's members, regions plus hot set, cache_scope_members), and another hash
// picks one of that team's active agents, so two teams whose scopes overlap do not both call the
// customer, and the agent's desk holds the customer. A customer no team caches (a region no scope
// names, a customer with no region) is split across all active agents of every team the same way:
// nobody's scope is a reason for nobody to call them.
// Every candidate carries a listing (shared/contract/outbound-queue.ts) so a desk that does not
// cache it still shows it and opens its card from the central API.
// Customers held out as a retention programme's control group are never called (server/outbound/held-out.ts),
// nor those a call would put off (server/outbound/put-off-by-a-call.ts).
import { DAY_MS } from '../../shared/domain/operator-time';
import { maskPhone } from '../../shared/domain/masking';
import { OUTBOUND_QUEUE_MAX, type OutboundCandidate, type OutboundListing, type OutboundQueueResponse } from '../../shared/contract/outbound-queue';
import type { SqlClient } from '../db/sql-client';
import type { CurrentScoringBundle } from '../scoring/scoring-bundle-store';
import { scopeTeamsOfSql } from '../sync/cache-scopes';
import { heldOutSql } from './held-out';
import { putOffByACall } from './put-off-by-a-call';

/** A customer contacted more recently than this is left alone. */
export const OUTBOUND_RECONTACT_DAYS = 30;

// 32 bits of md5(customer id): the same in PGlite and every PostgreSQL, unlike hashtext. The first
// picks the agent, the next the team: with one hash, a customer's team would also fix their agent.
const md5Bits = (from: number) => `('x' || substr(md5(s.customer_id), ${from}, 8))::bit(32)::bigint`;
const AGENT_HASH = md5Bits(1);
const TEAM_HASH = md5Bits(9);
const VALUE_AT_RISK = `coalesce(s.churn_probability * (s.data->>'clv')::double precision, 0)`;

// What a desk lists for a customer it does not cache: name, number and the latest score.
const LISTING_COLUMNS = `c.data->>'name' AS name, c.phone, s.stage, s.warning_level, s.churn_probability, s.value_tier`;

// Teams are read from users, not the token, so a reassignment applies at once; a disabled agent gets no share.
const TEAMS = `SELECT u.team, array_agg(u.id ORDER BY u.id) AS agents, EXISTS (SELECT 1 FROM cache_scopes cs WHERE cs.team = u.team) AS scoped
  FROM users u WHERE u.role = 'agent' AND u.team IS NOT NULL AND u.disabled_at IS NULL GROUP BY u.team ORDER BY u.team`;

// Customers whose latest outcome is a callback this agent recorded.
const DUE_CALLBACKS = `WITH mine AS (
    SELECT DISTINCT customer_id FROM outcomes WHERE agent_id = $1 AND result = 'callback' AND customer_id IS NOT NULL
  ), latest AS (
    SELECT DISTINCT ON (o.customer_id) o.customer_id, o.agent_id, o.result, o.payload->'draft'->>'callbackAt' AS callback_at
    FROM outcomes o JOIN mine USING (customer_id)
    ORDER BY o.customer_id, o.recorded_at DESC, o.server_seq DESC
  )
  SELECT l.customer_id, l.callback_at, ${VALUE_AT_RISK} AS value_at_risk, h.last_contact_at, ${LISTING_COLUMNS}
  FROM latest l
  JOIN customers c ON c.id = l.customer_id AND NOT c.deleted
  LEFT JOIN scores s ON s.customer_id = l.customer_id AND NOT s.deleted
  LEFT JOIN contact_history h ON h.customer_id = l.customer_id AND NOT h.deleted
  WHERE l.agent_id = $1 AND l.result = 'callback'
  ORDER BY l.callback_at::timestamptz, l.customer_id
  LIMIT $2`;

// $2/$3 the size of the caller's team and their place in it, $6 its name; $7 the teams that cache the
// whole book, $8 the scoped ones; $9/$10 the number of active agents of all teams and the caller's
// place among them. The caller's place is checked first, so only customers that may be theirs are
// looked up in the scopes.
const AT_RISK_SHARE = `SELECT s.customer_id, ${VALUE_AT_RISK} AS value_at_risk, h.last_contact_at, ${LISTING_COLUMNS}
  FROM scores s
  JOIN customers c ON c.id = s.customer_id AND NOT c.deleted
  LEFT JOIN contact_history h ON h.customer_id = s.customer_id AND NOT h.deleted
  CROSS JOIN LATERAL (
    SELECT ARRAY(SELECT unnest($7::text[]) UNION ${scopeTeamsOfSql('s.customer_id', '$8::text[]')} ORDER BY 1) AS teams OFFSET 0
  ) caching
  WHERE NOT s.deleted AND s.warning_level IN ('red', 'orange')
    AND c.status = 'active' AND NOT (c.data->>'doNotDisturb')::boolean
    AND (h.last_contact_at IS NULL OR h.last_contact_at < $1::timestamptz)
    AND s.customer_id NOT IN (SELECT jsonb_array_elements_text($4::jsonb))
    AND NOT ${heldOutSql('s.customer_id', 'c.data')}
    AND (mod(${AGENT_HASH}, $2) = $3 OR mod(${AGENT_HASH}, $9) = $10)
    AND CASE cardinality(caching.teams)
      WHEN 0 THEN mod(${AGENT_HASH}, $9) = $10
      ELSE caching.teams[1 + mod(${TEAM_HASH}, cardinality(caching.teams))] = $6 AND mod(${AGENT_HASH}, $2) = $3
    END
  ORDER BY value_at_risk DESC, s.customer_id
  LIMIT $5`;

/** The latest score's columns, as the scores writers validated them: all null for a customer never scored. */
type ScoreColumns =
  | { stage: null; warning_level: null; churn_probability: null; value_tier: null }
  | {
      stage: OutboundListing['stage'];
      warning_level: OutboundListing['warningLevel'];
      churn_probability: number;
      value_tier: OutboundListing['valueTier'];
    };

type CandidateRow = ScoreColumns & {
  customer_id: string;
  callback_at?: string;
  value_at_risk: number;
  last_contact_at: Date | string | null;
  name: string;
  phone: string;
};

// A callback may be for a customer never scored: no listing then (the desk shows it if it caches them).
// Not parsed here: the response serializer validates the queue against its schema.
const listingOf = (row: CandidateRow): OutboundListing | undefined =>
  row.stage === null
    ? undefined
    : {
        name: row.name,
        phoneMasked: maskPhone(row.phone),
        stage: row.stage,
        warningLevel: row.warning_level,
        churnProbability: row.churn_probability,
        valueTier: row.value_tier,
      };

const candidate = (row: CandidateRow, slot: OutboundCandidate['slot']): OutboundCandidate => {
  const listing = listingOf(row);
  return {
    customerId: row.customer_id,
    slot,
    callbackAt: row.callback_at ?? null,
    valueAtRisk: Math.round(row.value_at_risk * 100) / 100,
    lastContactAt: row.last_contact_at === null ? null : new Date(row.last_contact_at).toISOString(),
    ...(listing === undefined ? {} : { listing }),
  };
};

/** Where `agentId` stands in the active teams: null outside them. */
async function atRiskShareOf(db: SqlClient, agentId: string) {
  const teams = await db.query<{ team: string; agents: string[]; scoped: boolean }>(TEAMS);
  const team = teams.find((t) => t.agents.includes(agentId));
  if (team === undefined) return null;
  const everyAgent = teams.flatMap((t) => t.agents).sort();
  return {
    team: team.team,
    teamSize: team.agents.length,
    teamShare: team.agents.indexOf(agentId),
    wholeBookTeams: teams.filter((t) => !t.scoped).map((t) => t.team),
    scopedTeams: teams.filter((t) => t.scoped).map((t) => t.team),
    everyAgentCount: everyAgent.length,
    everyAgentShare: everyAgent.indexOf(agentId),
  };
}

/**
 * An agent outside any team (or not an active agent) gets their callbacks only: at-risk customers are
 * shared out per team. The list may come short by the customers a call would put off; the next ones
 * by value at risk move up as the list is worked.
 */
export async function outboundQueue(
  db: SqlClient,
  currentBundle: CurrentScoringBundle,
  agentId: string,
  now: Date = new Date(),
): Promise<OutboundQueueResponse> {
  const callbacks = (await db.query<CandidateRow>(DUE_CALLBACKS, [agentId, OUTBOUND_QUEUE_MAX])).map((r) => candidate(r, 'callback'));
  const share = await atRiskShareOf(db, agentId);
  const room = OUTBOUND_QUEUE_MAX - callbacks.length;
  const atRisk =
    share === null || room === 0
      ? []
      : await db.query<CandidateRow>(AT_RISK_SHARE, [
          new Date(now.getTime() - OUTBOUND_RECONTACT_DAYS * DAY_MS).toISOString(),
          share.teamSize,
          share.teamShare,
          JSON.stringify(callbacks.map((c) => c.customerId)),
          room,
          share.team,
          share.wholeBookTeams,
          share.scopedTeams,
          share.everyAgentCount,
          share.everyAgentShare,
        ]);
  const putOff = await putOffByACall(
    db,
    currentBundle,
    atRisk.map((r) => r.customer_id),
    now,
  );
  const toCall = atRisk.filter((r) => !putOff.has(r.customer_id));
  return { generatedAt: now.toISOString(), candidates: [...callbacks, ...toCall.map((r) => candidate(r, 'at_risk'))] };
}
