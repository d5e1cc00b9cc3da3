// Access tokens: short-lived HS256 JWTs (jose). Stateless, so any instance sharing the secret
// accepts them; the session behind them lives on as a refresh token (refresh-tokens.ts).
import { randomUUID } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { Role, type User } from '../../shared/contract/central-api';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** `deskId`: the desk the session was started on (the `desk` claim), null for a session bound to none. */
export type TokenCheck = { ok: true; user: User; expiresAt: Date; deskId: string | null } | { ok: false; reason: 'expired' | 'invalid' | 'desk_revoked' };

export interface TokenService {
  /** An access token for `user`, never valid beyond `notAfter` (the end of its session), bound to `deskId` when given. */
  issue(user: User, notAfter?: Date, deskId?: string | null): Promise<IssuedToken>;
  verify(token: string): Promise<TokenCheck>;
}

const ISSUER = 'clm-central-api';

const toSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** `clock` issues and checks the tokens; tests move it to expire a token instead of waiting for it. */
export function createTokenService(secret: string, ttlMinutes: number, clock: () => Date = () => new Date()): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(user, notAfter, deskId) {
      const issuedAt = clock();
      const fullTerm = issuedAt.getTime() + ttlMinutes * 60_000;
      const expiresAt = new Date(notAfter === undefined ? fullTerm : Math.min(fullTerm, notAfter.getTime()));
      const token = await new SignJWT({ role: user.role, name: user.displayName, team: user.team, ...(deskId ? { desk: deskId } : {}) })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setSubject(user.id)
        // Unique per issue, so two tokens minted in the same second for one user still differ.
        .setJti(randomUUID())
        .setIssuedAt(toSeconds(issuedAt))
        .setExpirationTime(toSeconds(expiresAt))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, currentDate: clock() });
        const role = Role.safeParse(payload.role);
        if (!role.success || typeof payload.sub !== 'string' || typeof payload.name !== 'string' || payload.exp === undefined)
          return { ok: false, reason: 'invalid' };
        // A token without a team claim (no team, or minted before teams existed) means no team.
        const team = typeof payload.team === 'string' ? payload.team : null;
        const deskId = typeof payload.desk === 'string' ? payload.desk : null;
        return { ok: true, user: { id: payload.sub, role: role.data, displayName: payload.name, team }, expiresAt: new Date(payload.exp * 1000), deskId };
      } catch (error) {
        return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
}
