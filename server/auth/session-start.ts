// Starting a session, however the person proved who they are (local password, LDAP, OpenID):
// a refresh-token family ending after the session length, and the first access token.
import type { User } from '../../shared/contract/central-api';
import type { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import type { ContactHours } from '../../shared/domain/contact-hours';
import type { RefreshTokenStore } from './refresh-tokens';
import type { TokenService } from './tokens';

export interface SessionStarter {
  start(user: User): Promise<LoginWithRefreshResponse>;
  /** The session a refresh token belongs to, to attach what else the session needs. */
  familyOf(refreshToken: string): Promise<string | null>;
}

export function createSessionStarter(
  tokens: TokenService,
  refreshTokens: RefreshTokenStore,
  sessionMinutes: number,
  contactHours: ContactHours,
): SessionStarter {
  return {
    async start(user) {
      const sessionExpiresAt = new Date(Date.now() + sessionMinutes * 60_000);
      const refreshToken = await refreshTokens.start(user.id, sessionExpiresAt);
      const access = await tokens.issue(user, sessionExpiresAt);
      return {
        token: access.token,
        expiresAt: sessionExpiresAt.toISOString(),
        accessExpiresAt: access.expiresAt.toISOString(),
        refreshToken,
        user,
        contactHours,
      };
    },
    familyOf: (refreshToken) => refreshTokens.familyOf(refreshToken),
  };
}
