// Login rate limit per username and per client IP, counted in the database: the API runs as
// several stateless instances behind a load balancer, so an in-memory counter would let an
// attacker multiply the limit by the number of instances. Only failures count; the window and
// the clock are the database's, so instances with skewed clocks still agree.
import { createHash } from 'node:crypto';
import type { LoginRateLimit } from '../config';
import type { SqlClient } from '../db/sql-client';

export interface LoginThrottle {
  /** Seconds the caller must wait before trying again, or null when the attempt may proceed. */
  retryAfterSeconds(username: string, clientIp: string): Promise<number | null>;
  recordFailure(username: string, clientIp: string): Promise<void>;
  /** A successful login clears that username's failures (not the IP's). */
  recordSuccess(username: string): Promise<void>;
}

/** Case-folded, so 'Agent01' and 'agent01' share one budget. */
const usernameKey = (username: string) => createHash('sha256').update(username.trim().toLowerCase()).digest('hex');

interface Counts {
  by_username: number;
  by_ip: number;
}

export function createLoginThrottle(db: SqlClient, limit: LoginRateLimit): LoginThrottle {
  const window = limit.windowSeconds;

  /** Seconds until enough of the oldest failures of `column = value` leave the window to get under `max`. */
  async function secondsUntilUnder(column: 'username_key' | 'client_ip', value: string, count: number, max: number): Promise<number> {
    const [row] = await db.query<{ wait: number }>(
      `SELECT ceil(extract(epoch FROM failed_at + make_interval(secs => $2) - now()))::int AS wait
       FROM login_failures WHERE ${column} = $1 AND failed_at > now() - make_interval(secs => $2)
       ORDER BY failed_at OFFSET $3 LIMIT 1`,
      [value, window, count - max],
    );
    return Math.max(1, row?.wait ?? 1);
  }

  return {
    async retryAfterSeconds(username, clientIp) {
      const key = usernameKey(username);
      const [counts] = await db.query<Counts>(
        `SELECT count(*) FILTER (WHERE username_key = $1) AS by_username, count(*) FILTER (WHERE client_ip = $2) AS by_ip
         FROM login_failures WHERE failed_at > now() - make_interval(secs => $3) AND (username_key = $1 OR client_ip = $2)`,
        [key, clientIp, window],
      );
      const byUsername = Number(counts?.by_username ?? 0);
      const byIp = Number(counts?.by_ip ?? 0);
      const waits: number[] = [];
      if (byUsername >= limit.maxFailuresPerUsername) waits.push(await secondsUntilUnder('username_key', key, byUsername, limit.maxFailuresPerUsername));
      if (byIp >= limit.maxFailuresPerIp) waits.push(await secondsUntilUnder('client_ip', clientIp, byIp, limit.maxFailuresPerIp));
      return waits.length === 0 ? null : Math.max(...waits);
    },
    async recordFailure(username, clientIp) {
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO login_failures (username_key, client_ip) VALUES ($1, $2)', [usernameKey(username), clientIp]);
        // Rows older than the window no longer count for anyone.
        await tx.query('DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1)', [window]);
      });
    },
    async recordSuccess(username) {
      await db.query('DELETE FROM login_failures WHERE username_key = $1', [usernameKey(username)]);
    },
  };
}
