import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, LoginRequest } from '../../shared/contract/central-api';
import { LoginWithRefreshResponse, RefreshRequest, RefreshResponse } from '../../shared/contract/auth-refresh';
import type { SqlClient } from '../db/sql-client';
import { apiError } from '../http/api-error';
import { badRequest, bodyErrorResponses, internalError, unauthorized } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { PUBLIC_ROUTE, documentedBody, documentedResponse, emptyResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import type { LoginThrottle } from './login-throttle';
import { verifyAgainstDecoy, verifyPassword } from './passwords';
import type { RefreshTokenStore } from './refresh-tokens';
import type { TokenService } from './tokens';
import { findUserForLogin } from './users';
import { isPublishedDemoPassword } from '../../shared/domain/password-policy';
import { LogoutRequest } from '../../shared/contract/users';
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
}

const ACCOUNT_DISABLED = 'This account is disabled; ask an administrator';

export function authRoutes({ db, tokens, refreshTokens, throttle, sessionMinutes, demoPasswordsAllowed, contactHours }: AuthRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          tags: ['auth'],
          operationId: 'login',
          summary: 'Log in',
          description:
            'Checks a username and password and starts a session: a short-lived access token (`token`, until `accessExpiresAt`) ' +
            'and a single-use refresh token that renews it until the session ends (`expiresAt`). Repeated failures are throttled (429).',
          security: PUBLIC_ROUTE,
          body: documentedBody(strictDeep(LoginRequest), 'The credentials of a user.', examples.loginRequest),
          response: {
            200: documentedResponse(LoginWithRefreshResponse, 'Logged in: the tokens and who the user is.', examples.loginResponse),
            400: badRequest,
            401: documentedResponse(ApiError, 'Unknown username or wrong password (one answer for both).', {
              error: 'invalid_credentials',
              message: LOGIN_FAILED,
            }),
            403: documentedResponse(ApiError, 'The password is right but the account is disabled.', { error: 'account_disabled', message: ACCOUNT_DISABLED }),
            429: documentedResponse(ApiError, 'Too many failed logins for this username or address; the Retry-After header says when to try again.', {
              error: 'too_many_attempts',
              message: 'Too many failed logins; try again in 840 s',
            }),
            ...bodyErrorResponses,
            500: internalError,
          },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        // Checked before the password, so a throttled caller cannot keep guessing (nor cost us scrypt time).
        const wait = await throttle.retryAfterSeconds(username, request.ip);
        if (wait !== null)
          return reply
            .code(429)
            .header('retry-after', String(wait))
            .send(apiError('too_many_attempts', `Too many failed logins; try again in ${wait} s`));

        const found = await findUserForLogin(db, username);
        const valid = found === null ? await verifyAgainstDecoy(password) : await verifyPassword(password, found.passwordHash);
        if (found === null || !valid || (!demoPasswordsAllowed && isPublishedDemoPassword(password))) {
          await throttle.recordFailure(username, request.ip);
          return reply.code(401).send(apiError('invalid_credentials', LOGIN_FAILED));
        }
        // Said only to whoever knows the password: the account exists, and nobody may use it now.
        if (found.disabled) return reply.code(403).send(apiError('account_disabled', ACCOUNT_DISABLED));
        await throttle.recordSuccess(username);
        const sessionExpiresAt = new Date(Date.now() + sessionMinutes * 60_000);
        const refreshToken = await refreshTokens.start(found.user.id, sessionExpiresAt);
        const access = await tokens.issue(found.user, sessionExpiresAt);
        return {
          token: access.token,
          expiresAt: sessionExpiresAt.toISOString(),
          accessExpiresAt: access.expiresAt.toISOString(),
          refreshToken,
          user: found.user,
          contactHours,
        };
      },
    );

    app.post(
      '/auth/refresh',
      {
        schema: {
          tags: ['auth'],
          operationId: 'refreshSession',
          summary: 'Renew the access token',
          description:
            'Trades a refresh token for a new access token and a new refresh token (rotation: each refresh token works once). ' +
            'Presenting a used one again revokes the session. The session end (`expiresAt`) never moves.',
          security: PUBLIC_ROUTE,
          body: documentedBody(strictDeep(RefreshRequest), 'The refresh token from the last login or refresh.', examples.refreshRequest),
          response: {
            200: documentedResponse(RefreshResponse, 'The new token pair.', examples.refreshResponse),
            400: badRequest,
            401: unauthorized.meta({
              description: 'The refresh token is unknown, already used (the session is then revoked) or past the session end.',
              examples: [{ error: 'invalid_refresh_token', message: REFRESH_REFUSED.reused }],
            }),
            ...bodyErrorResponses,
            500: internalError,
          },
        },
      },
      async (request, reply) => {
        const rotated = await refreshTokens.rotate(request.body.refreshToken);
        if (!rotated.ok) return reply.code(401).send(apiError('invalid_refresh_token', REFRESH_REFUSED[rotated.reason]));
        const access = await tokens.issue(rotated.user, rotated.sessionExpiresAt);
        return {
          token: access.token,
          expiresAt: rotated.sessionExpiresAt.toISOString(),
          accessExpiresAt: access.expiresAt.toISOString(),
          refreshToken: rotated.refreshToken,
          user: rotated.user,
        };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          operationId: 'logout',
          summary: 'Log out',
          description:
            'Ends the session the refresh token belongs to: no token of its chain can be refreshed again. ' +
            'Holding the refresh token is the proof; an unknown or already ended one is answered the same, so logging out twice is harmless.',
          security: PUBLIC_ROUTE,
          body: documentedBody(strictDeep(LogoutRequest), 'The refresh token of the session to end.', examples.refreshRequest),
          response: { 204: emptyResponse('The session is over.'), 400: badRequest, ...bodyErrorResponses, 500: internalError },
        },
      },
      async (request, reply) => {
        await refreshTokens.revoke(request.body.refreshToken);
        return reply.code(204).send();
      },
    );
  };
}
