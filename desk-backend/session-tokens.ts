// The session's credentials, in memory only: a short-lived access token and the single-use
// refresh token that renews it. Every central API call goes through `authorized`, which refreshes
// shortly before the access token expires and once more after a 401, so the agent never sees an
// expiry inside the session's lifetime. Refreshes are shared: two calls needing one at the same
// moment must not both present the same refresh token, since the server treats a second use as
// theft and revokes the session.
import { CentralApiError, type CentralApiClient, type DeskLoginResponse } from './central-api/central-api-client';

export interface SessionTokens {
  /** Runs `call` with a valid access token. A refused refresh surfaces as the call's 401 ("log in again"). */
  authorized<T>(call: (accessToken: string) => Promise<T>, signal?: AbortSignal): Promise<T>;
  current(): string;
  /** Told about each new access token (the CTI stream reconnects with it). */
  onRenewed(listener: (accessToken: string) => void): void;
  /** Ends the session on the server, so its refresh token cannot be used again; best effort (offline, it lapses at the session end). */
  revoke(): Promise<void>;
}

/** How long a logout waits for the server before leaving the session to lapse on its own. */
export const REVOKE_TIMEOUT_MS = 2_000;

/** Refresh this long before expiry (or at three quarters of a very short token's life). */
export const REFRESH_MARGIN_MS = 60_000;

interface Held {
  accessToken: string;
  /** ms since epoch; null when the server did not say (an older server: no refresh). */
  accessExpiresAt: number | null;
  refreshToken: string | null;
  marginMs: number;
}

function hold(accessToken: string, accessExpiresAt: string | undefined, refreshToken: string | undefined, nowMs: number): Held {
  const expiresAt = accessExpiresAt === undefined ? null : Date.parse(accessExpiresAt);
  const lifetime = expiresAt === null ? 0 : expiresAt - nowMs;
  return { accessToken, accessExpiresAt: expiresAt, refreshToken: refreshToken ?? null, marginMs: Math.min(REFRESH_MARGIN_MS, lifetime / 4) };
}

export function createSessionTokens(options: { api: CentralApiClient; login: DeskLoginResponse; now: () => Date }): SessionTokens {
  const { api, now } = options;
  let held = hold(options.login.token, options.login.accessExpiresAt, options.login.refreshToken, now().getTime());
  let renewing: Promise<void> | null = null;
  const listeners: ((accessToken: string) => void)[] = [];

  const canRefresh = () => held.refreshToken !== null;
  const expiringSoon = () => held.accessExpiresAt !== null && held.accessExpiresAt - now().getTime() <= held.marginMs;

  function renew(signal?: AbortSignal): Promise<void> {
    renewing ??= (async () => {
      const refreshToken = held.refreshToken;
      if (refreshToken === null) return;
      try {
        const next = await api.refresh({ refreshToken }, signal);
        held = hold(next.token, next.accessExpiresAt, next.refreshToken, now().getTime());
        for (const listener of listeners) listener(next.token);
      } catch (error) {
        // Refused (used, revoked, session over): it will never work again, so stop presenting it.
        if (error instanceof CentralApiError && error.kind === 'unauthenticated') held = { ...held, refreshToken: null };
        throw error;
      }
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  }

  return {
    async authorized(call, signal) {
      if (renewing !== null) await renewing.catch(() => undefined);
      if (canRefresh() && expiringSoon()) {
        // Offline right now: try the current token anyway, it may still have a little life left.
        await renew(signal).catch((error: unknown) => {
          if (!(error instanceof CentralApiError && error.kind === 'offline')) throw error;
        });
      }
      const used = held.accessToken;
      try {
        return await call(used);
      } catch (error) {
        if (!(error instanceof CentralApiError && error.kind === 'unauthenticated')) throw error;
        // Someone renewed while this call was out: retry with the new token. Else renew, once.
        if (held.accessToken === used) {
          if (!canRefresh()) throw error;
          await renew(signal);
        }
        return call(held.accessToken);
      }
    },
    current: () => held.accessToken,
    onRenewed(listener) {
      listeners.push(listener);
    },
    async revoke() {
      // A refresh in flight would hand back a successor the server has not revoked yet.
      if (renewing !== null) await renewing.catch(() => undefined);
      const refreshToken = held.refreshToken;
      held = { ...held, refreshToken: null };
      if (refreshToken !== null) await api.logout({ refreshToken }, AbortSignal.timeout(REVOKE_TIMEOUT_MS));
    },
  };
}
