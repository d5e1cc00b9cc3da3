// Password hashes at a low scrypt cost, for tests that log in many times and do not test hashing. A stored hash
// names its own cost (server/auth/passwords.ts) and a login is checked at that cost, so the login route behaves
// exactly as with the production cost (about 50 ms of CPU per check at N=16384, 3 ms here).
import { hashPassword, type ScryptCost } from '../../server/auth/passwords';
import type { SqlClient } from '../../server/db/sql-client';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/seed/demo-users';

const CHEAP_COST: ScryptCost = { N: 1024, r: 8, p: 1 };

/** A hash of `password` in the stored format at the low cost. */
export const cheapPasswordHash = (password: string): Promise<string> => hashPassword(password, CHEAP_COST);

/** Stores the demo accounts' password (still DEMO_PASSWORD) in `db` as a cheap hash. */
export async function useCheapDemoPasswords(db: SqlClient): Promise<void> {
  await db.query('UPDATE users SET password_hash = $1 WHERE username = ANY($2::text[])', [
    await cheapPasswordHash(DEMO_PASSWORD),
    DEMO_USERS.map((user) => user.username),
  ]);
}
