import type { Role, User } from '../../shared/contract/central-api';
import type { SqlClient } from '../db/sql-client';
import { hashPassword } from './passwords';

export interface NewUser {
  username: string;
  role: Role;
  displayName: string;
  team: string | null;
  password: string;
}

interface UserRow {
  id: string;
  role: Role;
  display_name: string;
  team: string | null;
  password_hash: string;
  disabled: boolean;
  directory_id: string | null;
}

export interface LoginAccount {
  user: User;
  passwordHash: string;
  disabled: boolean;
  /** Set for accounts the operator's directory manages (their password is the directory's to check). */
  directoryId: string | null;
}

export async function findUserForLogin(db: SqlClient, username: string): Promise<LoginAccount | null> {
  const [row] = await db.query<UserRow>(
    'SELECT id, role, display_name, team, password_hash, disabled_at IS NOT NULL AS disabled, directory_id FROM users WHERE username = $1',
    [username],
  );
  return row === undefined
    ? null
    : {
        user: { id: row.id, role: row.role, displayName: row.display_name, team: row.team },
        passwordHash: row.password_hash,
        disabled: row.disabled,
        directoryId: row.directory_id,
      };
}

/** The user id is the username: CTI events address agents by it. Existing usernames are left alone. */
export async function insertUsers(db: SqlClient, users: readonly NewUser[]): Promise<void> {
  for (const u of users) {
    await db.query(
      `INSERT INTO users (id, username, role, display_name, team, password_hash) VALUES ($1, $1, $2, $3, $4, $5)
       ON CONFLICT (username) DO NOTHING`,
      [u.username, u.role, u.displayName, u.team, await hashPassword(u.password)],
    );
  }
}
