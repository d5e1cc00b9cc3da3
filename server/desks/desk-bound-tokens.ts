// Access tokens are stateless JWTs valid for up to 15 minutes; a token bound to a desk (its `desk`
// claim) is also checked against the desk's revocation, so a revoked desk's next request is refused
// at once on every instance, not when its token runs out. One primary-key lookup per request, only
// for desk-bound tokens.
import type { TokenService } from '../auth/tokens';
import type { DeskRegistry } from './desk-registry';

export const DESK_REVOKED_MESSAGE = 'This desk was revoked by an administrator; its sessions are over and it may not sign in';

export function withDeskRevocation(tokens: TokenService, desks: Pick<DeskRegistry, 'isRevoked'>): TokenService {
  return {
    issue: (user, notAfter, deskId) => tokens.issue(user, notAfter, deskId),
    async verify(token) {
      const check = await tokens.verify(token);
      if (check.ok && check.deskId !== null && (await desks.isRevoked(check.deskId))) return { ok: false, reason: 'desk_revoked' };
      return check;
    },
  };
}
