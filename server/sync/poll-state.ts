// What every change-feed poll reads first: the caller's cache scope and the change log's
// commit-order horizon (server/db/commit-order.ts). An idle desk's poll needs nothing else (its
// cursor is at the horizon), so this read is most of what thousands of idle desks cost. Polls
// share it: one statement answers every poll that arrived while the previous one ran. Each poll
// is answered by a statement begun after it arrived, never by one already under way, so it sees
// every commit its desk (or any desk) saw before asking, on whichever instance committed it.
import { CHANGE_LOG, commitOrderHorizonSql } from '../db/commit-order';
import type { SqlClient } from '../db/sql-client';
import { SCOPE_COLUMNS_OF_S, scopeOf, type CacheScope, type ScopeRow } from './cache-scopes';

export interface PollState {
  /** The user's cache scope, or null for the whole book. */
  scope: CacheScope | null;
  /** The highest change seq the poll may serve (read in a statement before its page). */
  horizon: number;
}

/**
 * The state of each user in the batch: the horizon, evaluated once (a CTE), and the scope of the
 * user's team, read from users so a reassignment applies at once (users without one get no row).
 */
const POLL_STATE_SQL = `WITH horizon AS MATERIALIZED (SELECT ${commitOrderHorizonSql(CHANGE_LOG)} AS horizon)
  SELECT horizon.horizon, u.id AS user_id, ${SCOPE_COLUMNS_OF_S}
  FROM horizon LEFT JOIN (users u JOIN cache_scopes s ON s.team = u.team) ON u.id = ANY($1::text[])`;

type PollStateRow = { horizon: number; user_id: string | null } & { [K in keyof ScopeRow]: ScopeRow[K] | null };

interface Waiting {
  resolve(state: PollState): void;
  reject(error: unknown): void;
}

/** Reads a user's PollState, batched with the other polls waiting at that moment. */
export type PollStateReader = (userId: string) => Promise<PollState>;

export function createPollStateReader(db: SqlClient): PollStateReader {
  let waiting = new Map<string, Waiting[]>();
  let reading = false;

  async function readBatch(batch: Map<string, Waiting[]>): Promise<void> {
    try {
      const rows = await db.query<PollStateRow>(POLL_STATE_SQL, [[...batch.keys()]]);
      const horizon = Number(rows[0]?.horizon ?? 0);
      const scopes = new Map(rows.filter((row) => row.user_id !== null).map((row) => [row.user_id, scopeOf(row as ScopeRow)]));
      for (const [userId, polls] of batch) for (const poll of polls) poll.resolve({ scope: scopes.get(userId) ?? null, horizon });
    } catch (error) {
      for (const polls of batch.values()) for (const poll of polls) poll.reject(error);
    }
  }

  async function drain(): Promise<void> {
    reading = true;
    while (waiting.size > 0) {
      const batch = waiting;
      waiting = new Map();
      await readBatch(batch);
    }
    reading = false;
  }

  return (userId) =>
    new Promise<PollState>((resolve, reject) => {
      const polls = waiting.get(userId) ?? [];
      polls.push({ resolve, reject });
      waiting.set(userId, polls);
      if (!reading) void drain();
    });
}
