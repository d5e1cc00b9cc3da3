// Staff accounts as the operator's administrators manage them. Disabling an account or resetting
// its password revokes its sessions in the same transaction, so its refresh tokens die at once
// (an access token already issued lives out its 15 minutes).
import { randomBytes } from 'node:crypto';
import type { CreateUserRequest, UpdateUserRequest, UserAccount } from '../../shared/contract/users';
import { CreateUserRequest as CreateUserSchema, UpdateUserRequest as UpdateUserSchema } from '../../shared/contract/users';
import { passwordProblems } from '../../shared/domain/password-policy';
import type { SqlClient } from '../db/sql-client';
import { hashPassword } from '../auth/passwords';

/** A request the accounts cannot take as given: the message says what to change. */
export class UserAdminError extends Error {
  constructor(
    readonly code: 'weak_password' | 'username_taken' | 'external_id_taken' | 'unknown_user',
    message: string,
  ) {
    super(message);
    this.name = 'UserAdminError';
  }
}

interface AccountRow {
  id: string;
  username: string;
  role: UserAccount['role'];
  display_name: string;
  team: string | null;
  external_id: string | null;
  disabled_at: Date | string | null;
  created_at: Date | string;
}

const COLUMNS = 'id, username, role, display_name, team, external_id, disabled_at, created_at';

const accountOf = (row: AccountRow): UserAccount => ({
  id: row.id,
  username: row.username,
  role: row.role,
  displayName: row.display_name,
  team: row.team,
  externalId: row.external_id,
  disabled: row.disabled_at !== null,
  createdAt: new Date(row.created_at).toISOString(),
});

function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) throw new UserAdminError('weak_password', `The password does not meet the policy: ${problems.join('; ')}`);
}

/** Postgres' unique-violation, named by the index that refused the row. */
function uniqueViolation(error: unknown): string | null {
  const pgError = error as { code?: string; constraint?: string; message?: string };
  if (pgError.code !== '23505') return null;
  return pgError.constraint ?? pgError.message ?? '';
}

function refuseDuplicate(error: unknown, username: string, externalId: string | null | undefined): never {
  const violated = uniqueViolation(error);
  if (violated !== null && violated.includes('external_id'))
    throw new UserAdminError('external_id_taken', `The external id '${externalId}' already belongs to another user`);
  if (violated !== null) throw new UserAdminError('username_taken', `The username '${username}' is taken`);
  throw error;
}

const revokeSessions = (db: SqlClient, userId: string) =>
  db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);

/** A password that meets the policy, for an account created without one (shown once, then changed by its owner). */
export function generatePassword(): string {
  // base64url has upper, lower and digits; the suffix adds a fourth kind.
  return `${randomBytes(15).toString('base64url')}#7a`;
}

export async function listUsers(db: SqlClient): Promise<UserAccount[]> {
  return (await db.query<AccountRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`)).map(accountOf);
}

export async function countUsers(db: SqlClient): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return row?.n ?? 0;
}

export async function createUser(db: SqlClient, request: CreateUserRequest): Promise<UserAccount> {
  const user = CreateUserSchema.parse(request);
  checkPassword(user.password, user.username);
  try {
    // The user id is the username: CTI events, outcomes and audit rows address staff by it.
    const [row] = await db.query<AccountRow>(
      `INSERT INTO users (id, username, role, display_name, team, external_id, password_hash)
       VALUES ($1, $1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [user.username, user.role, user.displayName, user.team, user.externalId, await hashPassword(user.password)],
    );
    return accountOf(row!);
  } catch (error) {
    refuseDuplicate(error, user.username, user.externalId);
  }
}

export async function updateUser(db: SqlClient, username: string, request: UpdateUserRequest): Promise<UserAccount> {
  const update = UpdateUserSchema.parse(request);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<AccountRow>(
        `UPDATE users SET
           role = coalesce($2, role),
           display_name = coalesce($3, display_name),
           team = CASE WHEN $4::boolean THEN $5 ELSE team END,
           external_id = CASE WHEN $6::boolean THEN $7 ELSE external_id END,
           disabled_at = CASE WHEN $8::boolean IS NULL THEN disabled_at WHEN $8 THEN coalesce(disabled_at, now()) ELSE NULL END
         WHERE username = $1 RETURNING ${COLUMNS}`,
        [
          username,
          update.role ?? null,
          update.displayName ?? null,
          'team' in update,
          update.team ?? null,
          'externalId' in update,
          update.externalId ?? null,
          update.disabled ?? null,
        ],
      );
      if (row === undefined) throw new UserAdminError('unknown_user', `No user '${username}'`);
      if (update.disabled === true) await revokeSessions(tx, row.id);
      return accountOf(row);
    });
  } catch (error) {
    if (error instanceof UserAdminError) throw error;
    refuseDuplicate(error, username, update.externalId);
  }
}

/** Sets a new password and ends the account's sessions (whoever held them must log in with the new one). */
export async function resetPassword(db: SqlClient, username: string, password: string): Promise<UserAccount> {
  checkPassword(password, username);
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<AccountRow>(`UPDATE users SET password_hash = $2 WHERE username = $1 RETURNING ${COLUMNS}`, [username, hash]);
    if (row === undefined) throw new UserAdminError('unknown_user', `No user '${username}'`);
    await revokeSessions(tx, row.id);
    return accountOf(row);
  });
}
