// Starting a session, however the person proved who they are (local password, LDAP, OpenID):
// a refresh-token family ending after the session length, and the first access token.
import type { User } from '../../shared/contract/central-api';
import type { LoginWithRefreshResponse } from '../../shared/contract/auth-refresh';
import type { ContactHours } from '../../shared/domain/contact-hours';
import type { RefreshTokenStore } from './refresh-tokens';
import type { TokenService } from './tokens';

export interface SessionStarter {
  /** Bound to `deskId` when given (the desk's X-CLM-Desk header); throws DeskRevokedError when that desk is revoked. */
  start(user: User, deskId?: string | null): Promise<LoginWithRefreshResponse>;
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
    async start(user, deskId) {
      const sessionExpiresAt = new Date(Date.now() + sessionMinutes * 60_000);
      const refreshToken = await refreshTokens.start(user.id, sessionExpiresAt, deskId);
      const access = await tokens.issue(user, sessionExpiresAt, deskId);
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
