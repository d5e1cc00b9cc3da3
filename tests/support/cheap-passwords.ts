// Password hashes at a low scrypt cost, for tests that log in many times and do not test hashing. A stored hash
// names its own cost (server/auth/passwords.ts) and a login is checked at that cost, so the login route behaves
// exactly as with the production cost (about 50 ms of CPU per check at N=16384, 3 ms here).
import { randomBytes, scryptSync } from 'node:crypto';
import type { SqlClient } from '../../server/db/sql-client';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/seed/demo-users';

const CHEAP_COST = { N: 1024, r: 8, p: 1 };

/** A hash of `password` in the stored format ("scrypt$N$r$p$salt$key") at the low cost. */
export function cheapPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, CHEAP_COST);
  return ['scrypt', CHEAP_COST.N, CHEAP_COST.r, CHEAP_COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Stores the demo accounts' password (still DEMO_PASSWORD) in `db` as a cheap hash. */
export async function useCheapDemoPasswords(db: SqlClient): Promise<void> {
  await db.query('UPDATE users SET password_hash = $1 WHERE username = ANY($2::text[])', [
    cheapPasswordHash(DEMO_PASSWORD),
    DEMO_USERS.map((user) => user.username),
  ]);
}
