// The desks the central API knows (the devices table: a desk is its cache's device id), and their
// revocation. Revoking a desk revokes the refresh tokens of every session started on it in the same
// transaction, and every later request bearing one of its access tokens is refused (desk-bound-tokens.ts).
// Its open CTI streams are closed on every instance: the revocation is announced on DESK_REVOKED_CHANNEL
// when it commits (server/cti/agent-sockets.ts listens).
import type { DeskRecord, DeskRevocationStatus, UnsentDecision } from '../../shared/contract/desks';
import type { SqlClient } from '../db/sql-client';
import { DESK_REVOKED_MESSAGE } from './desk-bound-tokens';

/** The NOTIFY channel a revocation is announced on at commit; its payload is the desk id. */
export const DESK_REVOKED_CHANNEL = 'desk_revoked';

export class DeskAdminError extends Error {
  override readonly name = 'DeskAdminError';
  constructor(
    readonly code: 'unknown_desk',
    message: string,
  ) {
    super(message);
  }
}

/** A session may not start on a revoked desk. */
export class DeskRevokedError extends Error {
  override readonly name = 'DeskRevokedError';
  constructor(readonly deskId: string) {
    super(DESK_REVOKED_MESSAGE);
  }
}

export interface DeskRevocation {
  by: string;
  reason: string;
  unsent: UnsentDecision;
}

export interface DeskRegistry {
  /** `userId` starts a session on `deskId`, which is known from then on; throws DeskRevokedError when the desk is revoked. */
  admitSession(deskId: string, userId: string): Promise<void>;
  isRevoked(deskId: string): Promise<boolean>;
  status(deskId: string): Promise<DeskRevocationStatus>;
  list(): Promise<DeskRecord[]>;
  /** Throws DeskAdminError('unknown_desk') for a desk that never started a session or uploaded. */
  revoke(deskId: string, revocation: DeskRevocation): Promise<DeskRecord>;
  /** The desk may start sessions again; its held unsent work then uploads as usual. */
  reinstate(deskId: string): Promise<DeskRecord>;
}

interface DeskRow {
  device_id: string;
  last_user_id: string | null;
  last_seen_at: Date | string | null;
  revoked_at: Date | string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  unsent_decision: UnsentDecision | null;
}

const COLUMNS = 'device_id, last_user_id, last_seen_at, revoked_at, revoked_by, revoke_reason, unsent_decision';
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function recordOf(row: DeskRow): DeskRecord {
  return {
    deskId: row.device_id,
    lastUserId: row.last_user_id,
    lastSeenAt: iso(row.last_seen_at),
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
    unsent: row.unsent_decision,
  };
}

const unknownDesk = (deskId: string) =>
  new DeskAdminError('unknown_desk', `No desk '${deskId}': a desk is known once a session was started on it (clm desks list shows them)`);

export function createDeskRegistry(db: SqlClient): DeskRegistry {
  async function status(deskId: string): Promise<DeskRevocationStatus> {
    const [row] = await db.query<{ unsent_decision: UnsentDecision }>('SELECT unsent_decision FROM devices WHERE device_id = $1 AND revoked_at IS NOT NULL', [
      deskId,
    ]);
    return row === undefined ? { revoked: false, unsent: null } : { revoked: true, unsent: row.unsent_decision };
  }

  return {
    async admitSession(deskId, userId) {
      const admitted = await db.query(
        `INSERT INTO devices (device_id, last_user_id, last_seen_at) VALUES ($1, $2, now())
         ON CONFLICT (device_id) DO UPDATE SET last_user_id = EXCLUDED.last_user_id, last_seen_at = EXCLUDED.last_seen_at
           WHERE devices.revoked_at IS NULL
         RETURNING device_id`,
        [deskId, userId],
      );
      if (admitted.length === 0) throw new DeskRevokedError(deskId);
    },

    isRevoked: async (deskId) => (await status(deskId)).revoked,

    status,

    async list() {
      const rows = await db.query<DeskRow>(`SELECT ${COLUMNS} FROM devices ORDER BY last_seen_at DESC NULLS LAST, device_id`);
      return rows.map(recordOf);
    },

    revoke(deskId, { by, reason, unsent }) {
      return db.transaction(async (tx) => {
        // A second revocation keeps the first one's time: it changes the reason and the decision only.
        const [row] = await tx.query<DeskRow>(
          `UPDATE devices SET revoked_at = coalesce(revoked_at, now()), revoked_by = $2, revoke_reason = $3, unsent_decision = $4
           WHERE device_id = $1 RETURNING ${COLUMNS}`,
          [deskId, by, reason, unsent],
        );
        if (row === undefined) throw unknownDesk(deskId);
        await tx.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE device_id = $1', [deskId]);
        await tx.notify(DESK_REVOKED_CHANNEL, deskId);
        return recordOf(row);
      });
    },

    async reinstate(deskId) {
      const [row] = await db.query<DeskRow>(
        `UPDATE devices SET revoked_at = NULL, revoked_by = NULL, revoke_reason = NULL, unsent_decision = NULL
         WHERE device_id = $1 RETURNING ${COLUMNS}`,
        [deskId],
      );
      if (row === undefined) throw unknownDesk(deskId);
      return recordOf(row);
    },
  };
}
