// Route guard: checks the bearer token and the caller's role before anything else runs
// (onRequest), so unauthenticated callers learn nothing about body validation.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role, User } from '../../shared/contract/central-api';
import { DESK_REVOKED_ERROR } from '../../shared/contract/desks';
import { DESK_REVOKED_MESSAGE } from '../desks/desk-bound-tokens';
import { apiError } from '../http/api-error';
import type { TokenService } from './tokens';

export interface AuthContext {
  user: User;
  expiresAt: Date;
  /** The desk the session is bound to; null for a session bound to none. */
  deskId: string | null;
}

const authenticated = new WeakMap<FastifyRequest, AuthContext>();

/** The caller of a guarded route; throws when called from an unguarded one (a wiring bug). */
export function authOf(request: FastifyRequest): AuthContext {
  const auth = authenticated.get(request);
  if (auth === undefined) throw new Error(`route ${request.routeOptions.url} is not guarded by requireRoles`);
  return auth;
}

export type TokenSource = (request: FastifyRequest) => string | null;

export const bearerHeaderToken: TokenSource = (request) => {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
};

const deny = (reply: FastifyReply, status: 401 | 403, error: string, message: string) => reply.code(status).send(apiError(error, message));

export function requireRoles(tokens: TokenService, roles: readonly Role[], tokenSource: TokenSource = bearerHeaderToken): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const token = tokenSource(request);
    if (token === null) return deny(reply, 401, 'unauthorized', 'Missing bearer token (Authorization: Bearer <token>)');
    const check = await tokens.verify(token);
    if (!check.ok && check.reason === 'desk_revoked') return deny(reply, 401, DESK_REVOKED_ERROR, DESK_REVOKED_MESSAGE);
    if (!check.ok) return deny(reply, 401, 'unauthorized', check.reason === 'expired' ? 'Token expired; log in again' : 'Invalid token');
    if (!roles.includes(check.user.role))
      return deny(reply, 403, 'forbidden', `Role '${check.user.role}' may not use this endpoint (allowed: ${roles.join(', ')})`);
    authenticated.set(request, { user: check.user, expiresAt: check.expiresAt, deskId: check.deskId });
  };
}
