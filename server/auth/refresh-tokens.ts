// Rotating refresh tokens, kept in the database so any instance can refresh any session.
// Each token is good for one refresh: it is marked used and a successor issued in the same
// transaction. Presenting a used token again means two parties hold it (a stolen copy, or a
// replay), so the whole family (that login's chain) is revoked and both must log in again.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role, User } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { createDeskRegistry } from '../desks/desk-registry';

export type RotateResult =
  | { ok: true; user: User; sessionExpiresAt: Date; refreshToken: string; familyId: string; deskId: string | null }
  | { ok: false; reason: 'unknown' | 'reused' | 'expired' | 'desk_revoked' };

export interface RefreshTokenStore {
  /**
   * Starts a session (a new family) for `userId`, ending at `sessionExpiresAt`, bound to `deskId` when given; returns its
   * first token. Throws DeskRevokedError (and starts nothing) when that desk is revoked.
   */
  start(userId: string, sessionExpiresAt: Date, deskId?: string | null): Promise<string>;
  rotate(refreshToken: string): Promise<RotateResult>;
  /** Ends the session `refreshToken` belongs to (its whole chain); an unknown token ends nothing. */
  revoke(refreshToken: string): Promise<void>;
  /** The session (family) `refreshToken` belongs to, or null for an unknown token. */
  familyOf(refreshToken: string): Promise<string | null>;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

interface ClaimedRow {
  family_id: string;
  user_id: string;
  session_expires_at: Date | string;
  device_id: string | null;
}
interface UserRow {
  id: string;
  role: Role;
  display_name: string;
  team: string | null;
}

const INSERT = `INSERT INTO refresh_tokens (token_hash, family_id, user_id, session_expires_at, device_id) VALUES ($1, $2, $3, $4::timestamptz, $5)`;
// Marks the token used only if it is still live; the row lock makes a concurrent second use wait and then find it used.
const CLAIM = `UPDATE refresh_tokens SET used_at = now()
  WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND session_expires_at > now()
  RETURNING family_id, user_id, session_expires_at, device_id`;

export function createRefreshTokenStore(db: SqlClient): RefreshTokenStore {
  return {
    async start(userId, sessionExpiresAt, deskId) {
      const token = newToken();
      await db.transaction(async (tx) => {
        // Sessions that ended a day ago are of no further use, not even for reuse detection.
        await tx.query(`DELETE FROM refresh_tokens WHERE session_expires_at < now() - interval '1 day'`);
        if (deskId) await createDeskRegistry(tx).admitSession(deskId, userId);
        await tx.query(INSERT, [hashOf(token), randomUUID(), userId, sessionExpiresAt.toISOString(), deskId ?? null]);
      });
      return token;
    },

    rotate(refreshToken) {
      const hash = hashOf(refreshToken);
      return db.transaction(async (tx): Promise<RotateResult> => {
        const [claimed] = await tx.query<ClaimedRow>(CLAIM, [hash]);
        if (claimed === undefined) {
          const [seen] = await tx.query<{ family_id: string; spent: boolean; desk_revoked: boolean }>(
            `SELECT family_id, (used_at IS NOT NULL OR revoked_at IS NOT NULL) AS spent,
               EXISTS (SELECT 1 FROM devices d WHERE d.device_id = refresh_tokens.device_id AND d.revoked_at IS NOT NULL) AS desk_revoked
             FROM refresh_tokens WHERE token_hash = $1`,
            [hash],
          );
          if (seen === undefined) return { ok: false, reason: 'unknown' };
          // Its desk was revoked (which revoked the token): say so, so the desk wipes its cache rather than ask for a login.
          if (seen.desk_revoked) return { ok: false, reason: 'desk_revoked' };
          if (!seen.spent) return { ok: false, reason: 'expired' };
          // Committed together with the 401: the revocation must stand even though the request fails.
          await tx.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1`, [seen.family_id]);
          return { ok: false, reason: 'reused' };
        }
        // The role and team are read afresh, so a change takes effect at the next refresh; a disabled account gets none.
        const [user] = await tx.query<UserRow>('SELECT id, role, display_name, team FROM users WHERE id = $1 AND disabled_at IS NULL', [claimed.user_id]);
        if (user === undefined) return { ok: false, reason: 'unknown' };
        const sessionExpiresAt = new Date(claimed.session_expires_at);
        const successor = newToken();
        await tx.query(INSERT, [hashOf(successor), claimed.family_id, user.id, sessionExpiresAt.toISOString(), claimed.device_id]);
        return {
          ok: true,
          user: { id: user.id, role: user.role, displayName: user.display_name, team: user.team },
          sessionExpiresAt,
          refreshToken: successor,
          familyId: claimed.family_id,
          deskId: claimed.device_id,
        };
      });
    },

    async revoke(refreshToken) {
      await db.query(
        `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
         WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
        [hashOf(refreshToken)],
      );
    },

    async familyOf(refreshToken) {
      const [row] = await db.query<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE token_hash = $1', [hashOf(refreshToken)]);
      return row?.family_id ?? null;
    },
  };
}
