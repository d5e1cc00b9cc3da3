// OpenID Connect sign-in with openid-client: authorization code flow with PKCE, state and nonce.
// The browser goes from this API to the operator's IdP and back to /auth/oidc/callback; the code
// is exchanged here, the ID token's groups place the person, and the browser is sent on to the
// desk's return address with a one-time hand-off code that the desk trades for our own tokens.
// Sign-ins under way live in the database, so any API instance behind the balancer can finish one.
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { SqlClient } from '../../db/sql-client';
import type { OidcSettings } from './directory-config';
import { DirectoryUnavailableError, type DirectoryPerson } from './directory-person';
import { openStored } from './sealed-idp-tokens';

/** How long a person has at the IdP, and then how long the desk has to collect its tokens. */
const SIGN_IN_MINUTES = 10;
const HANDOFF_MINUTES = 2;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

export type CallbackResult =
  /** `idpRefreshToken`: when the IdP gave one, for the checks at our refreshes. */
  | { ok: true; person: DirectoryPerson; returnTo: string; idpRefreshToken: string | null }
  | { ok: false; error: string; message: string; returnTo: string | null };

export interface OidcSignIn {
  /** The IdP address to send the browser to; records the sign-in. Throws DirectoryUnavailableError when the IdP does not answer. */
  start(returnTo: string): Promise<URL>;
  /** Checks the IdP's answer (the callback URL as called) and reads the person from the ID token. */
  finish(callbackUrl: URL): Promise<CallbackResult>;
  /** Records who signed in, for the hand-off code the browser carries to the desk. */
  handOff(state: string, userId: string, idpRefreshToken: string | null): Promise<string>;
  /**
   * The user a hand-off code stands for (and the IdP's refresh token), once; null when unknown, used or stale.
   * Throws IdpTokenKeyError when this instance cannot open the token another sealed (CLM_TOKEN_KEY differs).
   */
  redeem(handoffCode: string): Promise<{ userId: string; idpRefreshToken: string | null } | null>;
  /**
   * Asks the IdP again with its refresh token: the person as it sees them now and its next refresh token, or null
   * when it refuses (the person was removed, or their sessions revoked). Throws DirectoryUnavailableError when it does not answer.
   */
  refreshPerson(idpRefreshToken: string): Promise<{ person: DirectoryPerson; idpRefreshToken: string } | null>;
  /** Whether a finished sign-in may send the browser to `returnTo`. */
  acceptsReturnTo(returnTo: string): boolean;
}

/** The desk listens on a loopback port (RFC 8252), so any loopback http address is allowed; others must be configured. */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * A configured return address, or the same address with query parameters added: the desk's page adds a
 * random value of its own to its return address (login CSRF, like OAuth's `state`). Same origin, path and
 * fragment, and the configured query kept, so the browser still goes only to the configured page.
 */
export function isConfiguredReturn(url: URL, allowed: string): boolean {
  const configured = new URL(allowed);
  if (url.origin !== configured.origin || url.pathname !== configured.pathname || url.hash !== configured.hash) return false;
  return [...configured.searchParams].every(([name, value]) => url.searchParams.getAll(name).includes(value));
}

const claimText = (claims: Record<string, unknown>, name: string): string | undefined =>
  typeof claims[name] === 'string' ? (claims[name] as string) : undefined;

function claimList(claims: Record<string, unknown>, name: string): string[] | undefined {
  const value = claims[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : undefined;
}

export function createOidcSignIn(db: SqlClient, settings: OidcSettings): OidcSignIn {
  let configuration: Promise<oidc.Configuration> | undefined;

  /** Discovery once, on first use: an IdP that is down when the API starts must not stop the API. */
  function idp(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret === undefined ? oidc.None() : undefined,
        settings.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw new DirectoryUnavailableError(`OpenID provider ${settings.issuer} did not answer: ${(error as Error).message}`, { cause: error });
      });
    return configuration;
  }

  /** The person the IdP's tokens describe; null without a username. Many IdPs put groups or the username only in userinfo. */
  async function personFrom(
    config: oidc.Configuration,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<DirectoryPerson | null> {
    // A refresh answer may come without an ID token: then userinfo says it all.
    const idToken = tokens.claims();
    let claims: Record<string, unknown> = idToken ?? {};
    if (idToken === undefined || claimList(claims, settings.groupsClaim) === undefined || claimText(claims, settings.usernameClaim) === undefined)
      claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken?.sub ?? oidc.skipSubjectCheck)), ...idToken };
    const username = claimText(claims, settings.usernameClaim);
    const subject = claimText(claims, 'sub');
    if (username === undefined || subject === undefined) return null;
    return {
      directoryId: `oidc:${idToken?.iss ?? config.serverMetadata().issuer}#${subject}`,
      username,
      displayName: claimText(claims, settings.displayNameClaim) ?? username,
      groups: claimList(claims, settings.groupsClaim) ?? [],
    };
  }

  const acceptsReturnTo = (returnTo: string) => {
    if (!URL.canParse(returnTo)) return false;
    const url = new URL(returnTo);
    return isLoopback(url) || settings.allowedReturnUrls.some((allowed) => isConfiguredReturn(url, allowed));
  };

  return {
    acceptsReturnTo,

    async start(returnTo) {
      const config = await idp();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      await db.transaction(async (tx) => {
        // Sign-ins abandoned a day ago are of no further use.
        await tx.query(`DELETE FROM oidc_sign_ins WHERE created_at < now() - interval '1 day'`);
        await tx.query('INSERT INTO oidc_sign_ins (state_hash, code_verifier, nonce, return_to) VALUES ($1, $2, $3, $4)', [
          hashOf(state),
          codeVerifier,
          nonce,
          returnTo,
        ]);
      });
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes.join(' '),
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    async finish(callbackUrl) {
      const state = callbackUrl.searchParams.get('state');
      if (state === null) return { ok: false, error: 'invalid_sign_in', message: 'The sign-in answer has no state; start the sign-in again', returnTo: null };
      // Claimed once: a replayed answer finds the sign-in already used.
      const [pending] = await db.query<{ code_verifier: string; nonce: string; return_to: string }>(
        `UPDATE oidc_sign_ins SET completed_at = now()
         WHERE state_hash = $1 AND completed_at IS NULL AND created_at > now() - make_interval(mins => $2)
         RETURNING code_verifier, nonce, return_to`,
        [hashOf(state), SIGN_IN_MINUTES],
      );
      if (pending === undefined)
        return { ok: false, error: 'invalid_sign_in', message: 'This sign-in is unknown, already used or too old; start it again', returnTo: null };
      const returnTo = pending.return_to;
      const idpError = callbackUrl.searchParams.get('error');
      if (idpError !== null)
        return {
          ok: false,
          error: 'idp_refused',
          message: callbackUrl.searchParams.get('error_description') ?? `The sign-in was refused: ${idpError}`,
          returnTo,
        };
      const config = await idp();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.code_verifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        return { ok: false, error: 'invalid_sign_in', message: `The OpenID provider's answer was refused: ${(error as Error).message}`, returnTo };
      }
      let person: DirectoryPerson | null;
      try {
        person = await personFrom(config, tokens);
      } catch (error) {
        return { ok: false, error: 'invalid_sign_in', message: `The OpenID provider's user information was refused: ${(error as Error).message}`, returnTo };
      }
      if (person === null)
        return { ok: false, error: 'invalid_sign_in', message: `The OpenID provider did not send the '${settings.usernameClaim}' claim`, returnTo };
      return { ok: true, returnTo, person, idpRefreshToken: tokens.refresh_token ?? null };
    },

    async handOff(state, userId, idpRefreshToken) {
      const code = randomBytes(32).toString('base64url');
      const sealed = idpRefreshToken === null ? null : settings.tokenCipher.seal(idpRefreshToken);
      await db.query('UPDATE oidc_sign_ins SET handoff_hash = $2, user_id = $3, idp_refresh_token = $4, idp_refresh_token_key_id = $5 WHERE state_hash = $1', [
        hashOf(state),
        hashOf(code),
        userId,
        sealed?.sealed ?? null,
        sealed?.keyId ?? null,
      ]);
      return code;
    },

    redeem(handoffCode) {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<{ state_hash: string; user_id: string; idp_refresh_token: string | null; idp_refresh_token_key_id: string | null }>(
          `UPDATE oidc_sign_ins SET handoff_hash = NULL
           WHERE handoff_hash = $1 AND completed_at > now() - make_interval(mins => $2)
           RETURNING state_hash, user_id, idp_refresh_token, idp_refresh_token_key_id`,
          [hashOf(handoffCode), HANDOFF_MINUTES],
        );
        if (row === undefined) return null;
        // The IdP's refresh token leaves with the code: from now on it belongs to the session (oidc_sessions).
        await tx.query('UPDATE oidc_sign_ins SET idp_refresh_token = NULL, idp_refresh_token_key_id = NULL WHERE state_hash = $1', [row.state_hash]);
        return { userId: row.user_id, idpRefreshToken: openStored(settings.tokenCipher, row.idp_refresh_token, row.idp_refresh_token_key_id) };
      });
    },

    async refreshPerson(idpRefreshToken) {
      const config = await idp();
      let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
      try {
        tokens = await oidc.refreshTokenGrant(config, idpRefreshToken);
      } catch (error) {
        // The IdP answered and said no (invalid_grant: the person or their session is gone).
        if (error instanceof oidc.ResponseBodyError) return null;
        throw new DirectoryUnavailableError(`OpenID provider ${settings.issuer} did not answer: ${(error as Error).message}`, { cause: error });
      }
      const person = await personFrom(config, tokens);
      return person === null ? null : { person, idpRefreshToken: tokens.refresh_token ?? idpRefreshToken };
    },
  };
}
