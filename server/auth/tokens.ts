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
/** Verified tokens remembered at once (about one per connected desk); the oldest is forgotten first. */
const VERIFIED_TOKENS_KEPT = 10_000;

const toSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

type VerifiedToken = Extract<TokenCheck, { ok: true }>;

/**
 * `clock` issues and checks the tokens; tests move it to expire a token instead of waiting for it.
 * A token's signature and claims never change, so a verified token is remembered until it expires
 * instead of being verified again at every request (the HMAC was a tenth of an idle desk's poll);
 * what can end a session sooner (a revoked desk) is checked outside, on every request.
 */
export function createTokenService(secret: string, ttlMinutes: number, clock: () => Date = () => new Date()): TokenService {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, VerifiedToken>();

  async function verifySignature(token: string): Promise<TokenCheck> {
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
  }

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
      const remembered = verified.get(token);
      // jose's own rule: expired once the clock reaches `exp`; past it, the token is checked afresh (and refused).
      if (remembered !== undefined && clock() < remembered.expiresAt) return remembered;
      verified.delete(token);
      const check = await verifySignature(token);
      if (check.ok) {
        // Insertion order: the first key is the token verified longest ago.
        if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
        verified.set(token, check);
      }
      return check;
    },
  };
}
