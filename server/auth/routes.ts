import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, type User } from '../../shared/contract/central-api';
import { DESK_ID_HEADER, DESK_REVOKED_ERROR } from '../../shared/contract/desks';
import { DESK_REVOKED_MESSAGE } from '../desks/desk-bound-tokens';
import { startOnDesk } from '../desks/desk-sessions';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { badRequest, bodyErrorResponses, internalError, unauthorized } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { contractRoute } from '../http/contract-route';
import { documentedResponse } from '../http/openapi-document';
import type { LoginThrottle } from './login-throttle';
import { verifyAgainstDecoy, verifyPassword } from './passwords';
import type { RefreshTokenStore } from './refresh-tokens';
import type { TokenService } from './tokens';
import { findUserForLogin } from './users';
import type { DirectorySignIn } from './directory/directory-sign-in';
import { createSessionStarter } from './session-start';
import { isPublishedDemoPassword } from '../../shared/domain/password-policy';
import type { ContactHours } from '../../shared/domain/contact-hours';

// One message for unknown user and wrong password, so the endpoint does not reveal which usernames exist.
const LOGIN_FAILED = 'Unknown username or wrong password';

const REFRESH_REFUSED: Record<'unknown' | 'reused' | 'expired', string> = {
  unknown: 'Invalid refresh token; log in again',
  reused: 'Refresh token already used: the session was revoked for safety; log in again',
  expired: 'Session ended; log in again',
};

export interface AuthRouteDeps {
  db: SqlClient;
  tokens: TokenService;
  refreshTokens: RefreshTokenStore;
  throttle: LoginThrottle;
  /** Session length (the refresh token's absolute lifetime), in minutes. */
  sessionMinutes: number;
  /** Only a demo-mode server lets the README's demo password in (its demo accounts use it). */
  demoPasswordsAllowed: boolean;
  /** Sent with every login, so a desk knows when callbacks may be booked. */
  contactHours: ContactHours;
  /** The operator's directory: LDAP passwords at login, and the check of directory accounts at each refresh. */
  directory: DirectorySignIn;
}

const ACCOUNT_DISABLED = 'This account is disabled; ask an administrator';

export function authRoutes({
  db,
  tokens,
  refreshTokens,
  throttle,
  sessionMinutes,
  demoPasswordsAllowed,
  contactHours,
  directory,
}: AuthRouteDeps): FastifyPluginAsyncZod {
  const sessions = createSessionStarter(tokens, refreshTokens, sessionMinutes, contactHours);
  return async (app) => {
    app.route({
      ...contractRoute('login', tokens, {
        tags: ['auth'],
        summary: 'Log in',
        description:
          'Checks a username and password and starts a session: a short-lived access token (`token`, until `accessExpiresAt`) ' +
          'and a single-use refresh token that renews it until the session ends (`expiresAt`). Repeated failures are throttled (429). ' +
          'When the server is configured for LDAP, the password of anyone without a local account is checked by the directory, ' +
          'and their role and team come from their directory groups.',
        body: { description: 'The credentials of a user.', example: examples.loginRequest },
        answer: { description: 'Logged in: the tokens and who the user is.', example: examples.loginResponse },
        otherResponses: {
          400: badRequest,
          401: documentedResponse(ApiError, 'Unknown username or wrong password (one answer for both).', {
            error: 'invalid_credentials',
            message: LOGIN_FAILED,
          }),
          403: documentedResponse(
            ApiError,
            'The password is right but the account is disabled (or, for a directory account, in no mapped group), or the desk named in X-CLM-Desk was revoked (`desk_revoked`).',
            { error: 'account_disabled', message: ACCOUNT_DISABLED },
          ),
          409: documentedResponse(ApiError, 'A directory account whose username already belongs to a local account here.', {
            error: 'username_taken',
            message: "The username 'agent17' already belongs to another account here; an administrator must rename or remove it first",
          }),
          429: documentedResponse(ApiError, 'Too many failed logins for this username or address; the Retry-After header says when to try again.', {
            error: 'too_many_attempts',
            message: 'Too many failed logins; try again in 840 s',
          }),
          ...bodyErrorResponses,
          500: internalError,
          503: documentedResponse(ApiError, 'The LDAP directory does not answer (local accounts still log in).', {
            error: 'directory_unavailable',
            message: 'The directory does not answer; try again shortly',
          }),
        },
      }),
      handler: async (request, reply) => {
        const { username, password } = request.body;
        const startSession = (user: User) => startOnDesk(reply, () => sessions.start(user, request.headers[DESK_ID_HEADER]));
        // Checked before the password, so a throttled caller cannot keep guessing (nor cost us scrypt time).
        const wait = await throttle.retryAfterSeconds(username, request.ip);
        if (wait !== null)
          return reply
            .code(429)
            .header('retry-after', String(wait))
            .send(apiError('too_many_attempts', `Too many failed logins; try again in ${wait} s`));

        const found = await findUserForLogin(db, username);
        if (directory.passwordGoesToLdap(found)) {
          const outcome = await directory.signInWithLdap(username, password);
          if (outcome.ok) {
            await throttle.recordSuccess(username);
            return startSession(outcome.user);
          }
          if (outcome.status === 401) await throttle.recordFailure(username, request.ip);
          return reply.code(outcome.status).send(apiError(outcome.error, outcome.message));
        }
        const valid = found === null ? await verifyAgainstDecoy(password) : await verifyPassword(password, found.passwordHash);
        if (found === null || !valid || (!demoPasswordsAllowed && isPublishedDemoPassword(password))) {
          await throttle.recordFailure(username, request.ip);
          return reply.code(401).send(apiError('invalid_credentials', LOGIN_FAILED));
        }
        // Said only to whoever knows the password: the account exists, and nobody may use it now.
        if (found.disabled) return reply.code(403).send(apiError('account_disabled', ACCOUNT_DISABLED));
        await throttle.recordSuccess(username);
        return startSession(found.user);
      },
    });

    app.route({
      ...contractRoute('refreshSession', tokens, {
        tags: ['auth'],
        summary: 'Renew the access token',
        description:
          'Trades a refresh token for a new access token and a new refresh token (rotation: each refresh token works once). ' +
          'Presenting a used one again revokes the session. The session end (`expiresAt`) never moves. ' +
          'A directory account is looked up in the directory again (LDAP: its entry; OpenID: a refresh at the IdP): gone, or in no mapped group, and the session ends; ' +
          'a changed group changes the role and team.',
        body: { description: 'The refresh token from the last login or refresh.', example: examples.refreshRequest },
        answer: { description: 'The new token pair.', example: examples.refreshResponse },
        otherResponses: {
          400: badRequest,
          401: unauthorized.meta({
            description: 'The refresh token is unknown, already used (the session is then revoked) or past the session end.',
            examples: [
              { error: 'invalid_refresh_token', message: REFRESH_REFUSED.reused },
              { error: DESK_REVOKED_ERROR, message: DESK_REVOKED_MESSAGE },
            ],
          }),
          ...bodyErrorResponses,
          500: internalError,
        },
      }),
      handler: async (request, reply) => {
        const rotated = await refreshTokens.rotate(request.body.refreshToken);
        if (!rotated.ok) {
          const refusal =
            rotated.reason === 'desk_revoked'
              ? apiError(DESK_REVOKED_ERROR, DESK_REVOKED_MESSAGE)
              : apiError('invalid_refresh_token', REFRESH_REFUSED[rotated.reason]);
          return reply.code(401).send(refusal);
        }
        const recheck = await directory.recheck(rotated.user, rotated.familyId);
        if (!recheck.ok) {
          await refreshTokens.revoke(rotated.refreshToken);
          return reply.code(401).send(apiError('invalid_refresh_token', recheck.message));
        }
        if (recheck.warning !== undefined) request.log.warn(`directory check skipped at refresh: ${recheck.warning}`);
        const access = await tokens.issue(recheck.user, rotated.sessionExpiresAt, rotated.deskId);
        return {
          token: access.token,
          expiresAt: rotated.sessionExpiresAt.toISOString(),
          accessExpiresAt: access.expiresAt.toISOString(),
          refreshToken: rotated.refreshToken,
          user: recheck.user,
        };
      },
    });

    app.route({
      ...contractRoute('logout', tokens, {
        tags: ['auth'],
        summary: 'Log out',
        description:
          'Ends the session the refresh token belongs to: no token of its chain can be refreshed again. ' +
          'Holding the refresh token is the proof; an unknown or already ended one is answered the same, so logging out twice is harmless.',
        body: { description: 'The refresh token of the session to end.', example: examples.refreshRequest },
        answer: { description: 'The session is over.' },
        otherResponses: { 400: badRequest, ...bodyErrorResponses, 500: internalError },
      }),
      handler: async (request, reply) => {
        await refreshTokens.revoke(request.body.refreshToken);
        return reply.code(204).send();
      },
    });
  };
}
