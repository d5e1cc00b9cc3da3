// Sign-in with the operator's OpenID provider (authorization code + PKCE): the browser starts
// here, comes back to the callback, and is sent on to the desk with a one-time hand-off code the
// desk trades for our own tokens. The routes are always there; without an `oidc` configuration
// they answer 404 oidc_not_configured, and /auth/sign-in-options tells the login screen so.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../shared/contract/central-api';
import { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import { OidcCallbackQuery, OidcStartQuery, OidcTokenRequest, SignInOptions } from '../../shared/contract/directory-sign-in';
import { DESK_ID_HEADER, DeskIdHeaders } from '../../shared/contract/desks';
import type { SqlClient } from '../db/sql-client';
import { startOnDesk } from '../desks/desk-sessions';
import { apiError } from '../http/api-error';
import { badRequest, bodyErrorResponses, internalError } from '../http/error-responses';
import * as examples from '../http/openapi-examples';
import { PUBLIC_ROUTE, documentedBody, documentedResponse, emptyResponse } from '../http/openapi-document';
import { strictDeep } from '../http/strict-schema';
import type { OidcSettings } from './directory/directory-config';
import { DirectoryUnavailableError } from './directory/directory-person';
import { IdpTokenKeyError } from './directory/idp-token-cipher';
import type { DirectorySignIn } from './directory/directory-sign-in';
import type { OidcSignIn } from './directory/oidc-sign-in';
import type { SessionStarter } from './session-start';

export interface OidcRouteDeps {
  db: SqlClient;
  /** Undefined when the server has no `oidc` configuration. */
  oidcSettings: OidcSettings | undefined;
  directory: DirectorySignIn;
  sessions: SessionStarter;
}

const NOT_CONFIGURED = apiError('oidc_not_configured', 'Sign-in with an OpenID provider is not configured on this server');
const notConfigured = documentedResponse(ApiError, 'This server has no OpenID provider configured (CLM_DIRECTORY_CONFIG without "oidc").', NOT_CONFIGURED);
const idpUnavailable = documentedResponse(ApiError, 'The OpenID provider does not answer.', {
  error: 'directory_unavailable',
  message: 'OpenID provider https://idp.operator.cn/ did not answer',
});
const TOKEN_KEY_MISSING = apiError(
  'token_key_unavailable',
  'This server cannot open the sign-in (its CLM_TOKEN_KEY lacks the key it was sealed with); sign in again or ask your administrator',
);
const EXAMPLE_RETURN_TO = 'http://127.0.0.1:51234/signed-in';
const EXAMPLE_HANDOFF = 'b1Qz8vN3kR6tY0wX4mC7pL2sD9fG5hJ1aE8uI3oK6nM';

/** The return address with the outcome added to its query. */
function withOutcome(returnTo: string, outcome: Record<string, string>): string {
  const url = new URL(returnTo);
  for (const [name, value] of Object.entries(outcome)) url.searchParams.set(name, value);
  return url.href;
}

export function oidcRoutes({ db, oidcSettings, directory, sessions }: OidcRouteDeps): FastifyPluginAsyncZod {
  const oidc = oidcSettings === undefined || directory.oidc === null ? null : { settings: oidcSettings, signIn: directory.oidc };
  return async (app) => {
    app.get(
      '/auth/sign-in-options',
      {
        schema: {
          tags: ['auth'],
          operationId: 'getSignInOptions',
          summary: 'What the login screen may offer',
          description: 'Public: whether sign-in with the operator’s OpenID provider is configured, so the desk shows its company sign-in button only then.',
          security: PUBLIC_ROUTE,
          response: { 200: documentedResponse(SignInOptions, 'The sign-in methods besides username and password.', { oidc: true }), 500: internalError },
        },
      },
      async (): Promise<SignInOptions> => ({ oidc: oidc !== null }),
    );

    app.get(
      '/auth/oidc/start',
      {
        schema: {
          tags: ['auth'],
          operationId: 'startOidcSignIn',
          summary: 'Start a sign-in with the operator’s OpenID provider',
          description:
            'Opened in a browser by the desk. Redirects to the OpenID provider (authorization code flow with PKCE); ' +
            'when the person has signed in there, the browser comes back to `/auth/oidc/callback` and is then sent to `returnTo`.',
          security: PUBLIC_ROUTE,
          querystring: strictDeep(OidcStartQuery.extend({ returnTo: OidcStartQuery.shape.returnTo.meta({ example: EXAMPLE_RETURN_TO }) })),
          response: {
            302: emptyResponse('To the OpenID provider’s authorization endpoint (the Location header).'),
            400: badRequest,
            404: notConfigured,
            500: internalError,
            503: idpUnavailable,
          },
        },
      },
      async (request, reply) => {
        if (oidc === null) return reply.code(404).send(NOT_CONFIGURED);
        const { returnTo } = request.query;
        if (!oidc.signIn.acceptsReturnTo(returnTo))
          return reply
            .code(400)
            .send(apiError('invalid_return_to', 'returnTo must be a loopback http address (the desk) or one listed in oidc.allowedReturnUrls'));
        try {
          return reply.redirect((await oidc.signIn.start(returnTo)).href, 302);
        } catch (error) {
          if (error instanceof DirectoryUnavailableError) return reply.code(503).send(apiError('directory_unavailable', error.message));
          throw error;
        }
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        schema: {
          tags: ['auth'],
          operationId: 'finishOidcSignIn',
          summary: 'The OpenID provider’s answer (redirect URI)',
          description:
            'Registered at the OpenID provider as this client’s redirect URI. Exchanges the code (with the PKCE verifier), checks the ID token, ' +
            'places the person by their groups and redirects to the sign-in’s `returnTo` with `code` (a hand-off code for `POST /auth/oidc/token`) ' +
            'and `username` (who signed in, so a host with one desk per user picks the desk first), or with `error` and `error_description`.',
          security: PUBLIC_ROUTE,
          querystring: OidcCallbackQuery.extend({ state: OidcCallbackQuery.shape.state.meta({ example: 'k3Jd9sLq0vXw2ZbN7cRt5yHm1pFa8uGe4iOo6TnQ' }) }),
          response: {
            302: emptyResponse('To the sign-in’s returnTo, with `code` and `username`, or `error` and `error_description`.'),
            400: documentedResponse(ApiError, 'The answer matches no sign-in under way (unknown, already used or older than 10 minutes).', {
              error: 'invalid_sign_in',
              message: 'This sign-in is unknown, already used or too old; start it again',
            }),
            404: notConfigured,
            500: internalError,
            503: idpUnavailable,
          },
        },
      },
      async (request, reply) => {
        if (oidc === null) return reply.code(404).send(NOT_CONFIGURED);
        const callbackUrl = new URL(oidc.settings.redirectUri);
        callbackUrl.search = new URL(request.url, 'http://callback.invalid').search;
        let finished: Awaited<ReturnType<OidcSignIn['finish']>>;
        try {
          finished = await oidc.signIn.finish(callbackUrl);
        } catch (error) {
          if (error instanceof DirectoryUnavailableError) return reply.code(503).send(apiError('directory_unavailable', error.message));
          throw error;
        }
        if (!finished.ok) {
          if (finished.returnTo === null) return reply.code(400).send(apiError(finished.error, finished.message));
          return reply.redirect(withOutcome(finished.returnTo, { error: finished.error, error_description: finished.message }), 302);
        }
        const signedIn = await directory.signInPerson(finished.person, oidc.settings.groups);
        if (!signedIn.ok) return reply.redirect(withOutcome(finished.returnTo, { error: signedIn.error, error_description: signedIn.message }), 302);
        const code = await oidc.signIn.handOff(request.query.state!, signedIn.user.id, finished.idpRefreshToken);
        return reply.redirect(withOutcome(finished.returnTo, { code, username: signedIn.user.id }), 302);
      },
    );

    app.post(
      '/auth/oidc/token',
      {
        schema: {
          tags: ['auth'],
          operationId: 'redeemOidcSignIn',
          summary: 'Trade an OpenID sign-in’s hand-off code for tokens',
          description:
            'The desk sends the `code` its return address received; the answer is the same as `POST /auth/login`. ' +
            'A code works once, within two minutes of the sign-in.',
          security: PUBLIC_ROUTE,
          headers: DeskIdHeaders,
          body: documentedBody(strictDeep(OidcTokenRequest), 'The hand-off code.', { code: EXAMPLE_HANDOFF }),
          response: {
            200: documentedResponse(LoginWithRefreshResponse, 'Signed in: the tokens and who the user is.', examples.loginResponse),
            400: documentedResponse(ApiError, 'The body is invalid, or the code is unknown, used or stale.', {
              error: 'invalid_grant',
              message: 'This sign-in code is unknown, already used or expired; sign in again',
            }),
            403: documentedResponse(ApiError, 'The account was disabled meanwhile, or the desk named in X-CLM-Desk was revoked (`desk_revoked`).', {
              error: 'account_disabled',
              message: 'This account is disabled; ask an administrator',
            }),
            ...bodyErrorResponses,
            500: internalError,
            503: documentedResponse(
              ApiError,
              'This instance cannot open the sign-in another instance stored (their CLM_TOKEN_KEY differs).',
              TOKEN_KEY_MISSING,
            ),
          },
        },
      },
      async (request, reply) => {
        let redeemed: Awaited<ReturnType<OidcSignIn['redeem']>>;
        try {
          redeemed = oidc === null ? null : await oidc.signIn.redeem(request.body.code);
        } catch (error) {
          if (!(error instanceof IdpTokenKeyError)) throw error;
          request.log.error(`company sign-in refused: ${error.message}`);
          return reply.code(503).send(TOKEN_KEY_MISSING);
        }
        if (redeemed === null) return reply.code(400).send(apiError('invalid_grant', 'This sign-in code is unknown, already used or expired; sign in again'));
        const [row] = await db.query<{
          id: string;
          role: LoginWithRefreshResponse['user']['role'];
          display_name: string;
          team: string | null;
          disabled: boolean;
        }>('SELECT id, role, display_name, team, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1', [redeemed.userId]);
        if (row === undefined || row.disabled) return reply.code(403).send(apiError('account_disabled', 'This account is disabled; ask an administrator'));
        const user = { id: row.id, role: row.role, displayName: row.display_name, team: row.team };
        const session = await startOnDesk(reply, () => sessions.start(user, request.headers[DESK_ID_HEADER]));
        if (!('refreshToken' in session)) return session;
        if (redeemed.idpRefreshToken !== null) await directory.linkOidcSession((await sessions.familyOf(session.refreshToken))!, redeemed.idpRefreshToken);
        return session;
      },
    );
  };
}
