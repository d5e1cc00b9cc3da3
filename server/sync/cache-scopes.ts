// Cache scopes: the part of the book a team's desks cache. The operator names regions (`clm scope
// set`); the server adds a hot set it ranks (callbacks due to the team, the team's recent callers,
// at-risk high-value customers) up to the scope's cap. Membership is recomputed on `scope set`,
// on `clm scope refresh` and, lazily, by the first change-feed poll after SCOPE_REFRESH_INTERVAL_MS;
// only the difference is written (change-log.ts), so desks download only who entered or left.
import { WHOLE_BOOK_SCOPE } from '../../shared/contract/cache-scope';
import { DAY_MS } from '../../shared/domain/operator-time';
import type { SqlClient } from '../db/sql-client';
import { DESIRED_SCOPE_MEMBERS, writeScopeMembers } from './change-log';

export const DEFAULT_HOT_SET_CAP = 500;
export const SCOPE_REFRESH_INTERVAL_MS = 5 * 60_000;
/** A caller of the team within this many days is in its hot set. */
export const RECENT_CALLER_DAYS = 7;

export interface CacheScope {
  team: string;
  regions: readonly string[];
  hotSetCap: number;
  generation: number;
  refreshedAt: Date | null;
}

export interface ScopeRow {
  team: string;
  regions: string[];
  hot_set_cap: number;
  generation: number | string;
  refreshed_at: Date | string | null;
}

export const scopeOf = (row: ScopeRow): CacheScope => ({
  team: row.team,
  regions: row.regions,
  hotSetCap: row.hot_set_cap,
  generation: Number(row.generation),
  refreshedAt: row.refreshed_at === null ? null : new Date(row.refreshed_at),
});

const SCOPE_COLUMN_NAMES = ['team', 'regions', 'hot_set_cap', 'generation', 'refreshed_at'];
const SCOPE_COLUMNS = SCOPE_COLUMN_NAMES.join(', ');
/** The scope columns of cache_scopes under the alias `s`. */
export const SCOPE_COLUMNS_OF_S = SCOPE_COLUMN_NAMES.map((c) => `s.${c}`).join(', ');

/** SQL: the teams among `teamsSql` (a text[]) whose cache scope holds the customer `customerIdSql` names (one index probe, migration 0024). */
export const scopeTeamsOfSql = (customerIdSql: string, teamsSql: string) =>
  `SELECT m.team FROM cache_scope_members m WHERE m.customer_id = ${customerIdSql} AND m.member AND m.team = ANY(${teamsSql})`;

/** `book` for the whole book; otherwise the team and the generation of its scope (a new scope row is a new generation). */
export const scopeKeyOf = (scope: CacheScope | null): string => (scope === null ? WHOLE_BOOK_SCOPE : `team:${scope.team}:${scope.generation}`);

export async function listCacheScopes(db: SqlClient): Promise<{ scope: CacheScope; members: number; hot: number }[]> {
  const rows = await db.query<ScopeRow & { members: number | string; hot: number | string }>(
    `SELECT ${SCOPE_COLUMNS_OF_S},
       (SELECT count(*) FROM cache_scope_members m WHERE m.team = s.team AND m.member) AS members,
       (SELECT count(*) FROM cache_scope_members m WHERE m.team = s.team AND m.member AND m.hot) AS hot
     FROM cache_scopes s ORDER BY s.team`,
  );
  return rows.map((row) => ({ scope: scopeOf(row), members: Number(row.members), hot: Number(row.hot) }));
}

// Ranked: callbacks the team booked that are due by tomorrow (soonest first), then the team's
// callers of the last days (latest first; a platform may log the number as +86… or 0086…), then warned
// platinum and gold customers by value at risk.
const HOT_SET_SQL = `WITH team_agents AS (SELECT id FROM users WHERE team = $1),
  latest AS (
    SELECT DISTINCT ON (o.customer_id) o.customer_id, o.agent_id, o.result, o.payload->'draft'->>'callbackAt' AS callback_at
    FROM outcomes o
    WHERE o.customer_id IN (SELECT customer_id FROM outcomes WHERE result = 'callback' AND agent_id IN (SELECT id FROM team_agents))
    ORDER BY o.customer_id, o.recorded_at DESC, o.server_seq DESC
  ),
  ranked AS (
    SELECT customer_id, 1 AS tier, extract(epoch FROM callback_at::timestamptz) AS rank FROM latest
    WHERE result = 'callback' AND agent_id IN (SELECT id FROM team_agents) AND callback_at::timestamptz < $2::timestamptz + interval '1 day'
    UNION ALL
    SELECT c.id, 2, -extract(epoch FROM max(k.received_at)) FROM cti_calls k JOIN customers c ON c.phone = regexp_replace(k.ani, '^([+]|00)86', '')
    WHERE k.agent_id IN (SELECT id FROM team_agents) AND k.received_at > $3::timestamptz GROUP BY c.id
    UNION ALL
    SELECT customer_id, 3, -coalesce(churn_probability * (data->>'clv')::double precision, 0) FROM scores
    WHERE NOT deleted AND warning_level IN ('red', 'orange') AND value_tier IN ('platinum', 'gold')
  ),
  best AS (SELECT DISTINCT ON (customer_id) customer_id, tier, rank FROM ranked ORDER BY customer_id, tier, rank)
  SELECT best.customer_id FROM best JOIN customers c ON c.id = best.customer_id AND NOT c.deleted
  ORDER BY best.tier, best.rank, best.customer_id LIMIT $4`;

/**
 * Recomputes `team`'s members (its regions' live customers plus the hot set) and writes the
 * difference. With `onlyIfRefreshedBefore`, does nothing when the scope was refreshed since (by
 * another poll or instance: the row lock makes the second one wait and then find it fresh).
 */
export async function refreshScopeMembers(
  db: SqlClient,
  team: string,
  now: Date,
  onlyIfRefreshedBefore?: Date,
): Promise<{ entered: number; left: number } | null> {
  return db.transaction(async (tx) => {
    const claimed = await tx.query<ScopeRow>(
      `UPDATE cache_scopes SET refreshed_at = $2 WHERE team = $1 AND ($3::timestamptz IS NULL OR refreshed_at IS NULL OR refreshed_at < $3::timestamptz)
       RETURNING ${SCOPE_COLUMNS}`,
      [team, now.toISOString(), onlyIfRefreshedBefore?.toISOString() ?? null],
    );
    const scope = claimed[0] === undefined ? null : scopeOf(claimed[0]);
    if (scope === null) return null;
    await tx.query(`CREATE TEMPORARY TABLE ${DESIRED_SCOPE_MEMBERS} (customer_id text PRIMARY KEY, hot boolean NOT NULL) ON COMMIT DROP`);
    await tx.query(
      `INSERT INTO ${DESIRED_SCOPE_MEMBERS} (customer_id, hot)
       SELECT p.customer_id, false FROM customer_profiles p JOIN customers c ON c.id = p.customer_id AND NOT c.deleted WHERE p.region = ANY($1::text[])`,
      [scope.regions],
    );
    if (scope.hotSetCap > 0) {
      const since = new Date(now.getTime() - RECENT_CALLER_DAYS * DAY_MS).toISOString();
      await tx.query(
        `INSERT INTO ${DESIRED_SCOPE_MEMBERS} (customer_id, hot) SELECT customer_id, true FROM (${HOT_SET_SQL}) AS hot ON CONFLICT (customer_id) DO NOTHING`,
        [team, now.toISOString(), since, scope.hotSetCap],
      );
    }
    return writeScopeMembers(tx, team);
  });
}

/**
 * The lazy refresh of the change feed: at most once per SCOPE_REFRESH_INTERVAL_MS per scope. True
 * when the scope was due: its members were refreshed, here or by another poll meanwhile.
 */
export async function refreshScopeIfStale(db: SqlClient, scope: CacheScope, now: Date): Promise<boolean> {
  const staleBefore = new Date(now.getTime() - SCOPE_REFRESH_INTERVAL_MS);
  if (scope.refreshedAt !== null && scope.refreshedAt >= staleBefore) return false;
  await refreshScopeMembers(db, scope.team, now, staleBefore);
  return true;
}

export class CacheScopeError extends Error {
  override readonly name = 'CacheScopeError';
}

/**
 * Gives `team`'s desks a scope of `regions` (plus a hot set of at most `hotSetCap`), or changes
 * it, and writes the members at once. A region no customer is in is refused as a likely typo.
 */
export async function setCacheScope(
  db: SqlClient,
  input: { team: string; regions: readonly string[]; hotSetCap: number; by: string; now: Date },
): Promise<{ scope: CacheScope; entered: number; left: number }> {
  const regions = [...new Set(input.regions.map((r) => r.trim()).filter((r) => r !== ''))].sort();
  if (input.team.trim() === '') throw new CacheScopeError('the team must not be empty');
  if (!Number.isInteger(input.hotSetCap) || input.hotSetCap < 0)
    throw new CacheScopeError(`the hot set cap must be a whole number ≥ 0, not ${input.hotSetCap}`);
  if (regions.length === 0 && input.hotSetCap === 0) throw new CacheScopeError('a scope needs at least one region or a hot set');
  const known = await db.query<{ region: string }>(`SELECT DISTINCT region FROM customer_profiles WHERE region = ANY($1::text[])`, [regions]);
  const unknown = regions.filter((r) => !known.some((k) => k.region === r));
  if (unknown.length > 0) throw new CacheScopeError(`no customer is in region ${unknown.join(', ')} (regions come from the customer import)`);
  await db.query(
    `INSERT INTO cache_scopes (team, regions, hot_set_cap, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (team) DO UPDATE SET regions = EXCLUDED.regions, hot_set_cap = EXCLUDED.hot_set_cap,
       updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    [input.team, regions, input.hotSetCap, input.by, input.now.toISOString()],
  );
  const written = (await refreshScopeMembers(db, input.team, input.now)) ?? { entered: 0, left: 0 };
  const scope = (await listCacheScopes(db)).find((s) => s.scope.team === input.team)?.scope;
  if (scope === undefined) throw new Error(`the scope of team ${input.team} vanished while it was written`);
  return { scope, ...written };
}

/** Gives `team`'s desks the whole book again (they download it afresh); false when it had no scope. */
export async function clearCacheScope(db: SqlClient, team: string): Promise<boolean> {
  const deleted = await db.query(`DELETE FROM cache_scopes WHERE team = $1 RETURNING team`, [team]);
  return deleted.length > 0;
}
