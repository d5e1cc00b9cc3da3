// Company sign-in (the operator's OpenID provider) in browser mode. A browser at the login screen has no
// desk yet, so the host answers the two sign-in operations itself: whether the central API offers company
// sign-in, and where to send the page to start it. The page goes to the central API, the IdP, and comes
// back here to `/?return=company-sign-in&code=…&username=…`; the renderer then logs in with that code
// (session/login), which picks the user's desk like a password login (user-desks.ts). The page adds a
// random value of its tab to this return address before it leaves and accepts only a return carrying it
// (renderer/state/company-sign-in-return.ts), so a link with someone else's code signs nobody in.
import { createCentralApiClient } from '../desk-backend/central-api/central-api-client';
import { toDeskFailure } from '../desk-backend/desk-failure';
import { signInOptionsOf } from '../desk-backend/operations/session';
import { COMPANY_SIGN_IN_RETURN, type DeskResult } from '../shared/contract/desk-api';

export interface CompanySignInHost {
  /** The host's answer to a sign-in operation (null for every other operation); `pageOrigin` is the page's own http origin. */
  answer(operation: string, pageOrigin: string): Promise<{ status: number; body: DeskResult<unknown> } | null>;
}

export function createCompanySignInHost(options: { apiUrl: string; fetch?: typeof fetch }): CompanySignInHost {
  const api = createCentralApiClient({ baseUrl: options.apiUrl, fetch: options.fetch });
  const startUrl = `${options.apiUrl.replace(/\/+$/, '')}/auth/oidc/start`;
  return {
    async answer(operation, pageOrigin) {
      if (operation === 'session/companySignIn') {
        const url = new URL(startUrl);
        url.searchParams.set('returnTo', new URL(COMPANY_SIGN_IN_RETURN, pageOrigin).href);
        return { status: 200, body: { ok: true, value: { kind: 'navigate', url: url.href } } };
      }
      if (operation !== 'session/signInOptions') return null;
      try {
        return { status: 200, body: { ok: true, value: await signInOptionsOf(api) } };
      } catch (error) {
        const failure = toDeskFailure(error);
        return { status: failure.code === 'offline' ? 503 : 500, body: { ok: false, error: failure } };
      }
    },
  };
}
