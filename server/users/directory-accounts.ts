// Accounts of people who sign in through the operator's directory: created at their first
// sign-in, their role, team and name kept as the directory says at every sign-in and refresh.
// They have no local password (the directory checks it), and a local account is never taken
// over by a directory person who happens to share its username.
import type { User } from '../../shared/contract/central-api';
import { Username } from '../../shared/contract/users';
import type { SqlClient } from '../db/sql-client';
import type { Placement } from '../auth/directory/group-mapping';

/** Not a scrypt hash, so no password ever matches it: the local login refuses directory accounts. */
export const NO_LOCAL_PASSWORD = '!directory';

export interface DirectoryIdentity {
  directoryId: string;
  username: string;
  displayName: string;
}

export type ProvisionResult = { ok: true; user: User; disabled: boolean } | { ok: false; reason: 'invalid_username' | 'username_taken'; message: string };

interface AccountRow {
  id: string;
  role: User['role'];
  display_name: string;
  team: string | null;
  disabled: boolean;
}

const RETURNING = 'RETURNING id, role, display_name, team, disabled_at IS NOT NULL AS disabled';
const resultOf = (row: AccountRow): ProvisionResult => ({
  ok: true,
  user: { id: row.id, role: row.role, displayName: row.display_name, team: row.team },
  disabled: row.disabled,
});

/** Creates or updates the account linked to `identity`. An administrator's disabling stands. */
export async function provisionDirectoryAccount(db: SqlClient, identity: DirectoryIdentity, placement: Placement): Promise<ProvisionResult> {
  const displayName = identity.displayName.trim().slice(0, 100) || identity.username;
  return db.transaction(async (tx) => {
    const [updated] = await tx.query<AccountRow>(`UPDATE users SET role = $2, team = $3, display_name = $4 WHERE directory_id = $1 ${RETURNING}`, [
      identity.directoryId,
      placement.role,
      placement.team,
      displayName,
    ]);
    if (updated !== undefined) return resultOf(updated);
    if (!Username.safeParse(identity.username).success)
      return {
        ok: false,
        reason: 'invalid_username',
        message: `The directory names this person '${identity.username}', which is not a valid username (2–64 letters, digits, dots, dashes or underscores)`,
      };
    // The user id is the username, as for local accounts: CTI events and outcomes address staff by it.
    const [created] = await tx.query<AccountRow>(
      `INSERT INTO users (id, username, role, display_name, team, password_hash, directory_id)
       VALUES ($1, $1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING ${RETURNING}`,
      [identity.username, placement.role, displayName, placement.team, NO_LOCAL_PASSWORD, identity.directoryId],
    );
    if (created !== undefined) return resultOf(created);
    return {
      ok: false,
      reason: 'username_taken',
      message: `The username '${identity.username}' already belongs to another account here; an administrator must rename or remove it first`,
    };
  });
}

/** The directory link of an account, or null for a local one. */
export async function directoryIdOf(db: SqlClient, userId: string): Promise<{ directoryId: string; username: string } | null> {
  const [row] = await db.query<{ directory_id: string | null; username: string }>('SELECT directory_id, username FROM users WHERE id = $1', [userId]);
  return row?.directory_id ? { directoryId: row.directory_id, username: row.username } : null;
}
