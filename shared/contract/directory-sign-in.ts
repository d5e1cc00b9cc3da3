// Sign-in through the operator's OpenID provider (issue 21). The desk opens
// GET /auth/oidc/start?returnTo=<its loopback address> in a browser; after the IdP, the API sends
// the browser to returnTo?code=<hand-off code>&username=<who signed in> (or ?error=…&error_description=…),
// and the desk trades the code once, within two minutes, at POST /auth/oidc/token for the usual login
// answer. The username comes along so a host that keeps one desk per user (browser mode) can pick the
// desk before it trades the code; the desk checks the traded answer names the same user.
import { z } from 'zod';

export const OidcStartQuery = z.object({
  /** Where the browser goes when the sign-in is over: a loopback http address, or one the operator configured. */
  returnTo: z.string().url().max(2000),
});
export type OidcStartQuery = z.infer<typeof OidcStartQuery>;

/** What the IdP sends back (RFC 6749 §4.1.2, RFC 9207); other parameters are ignored. */
export const OidcCallbackQuery = z.looseObject({
  state: z.string().max(1000).optional(),
  code: z.string().max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(2000).optional(),
});

/** The hand-off code from the return address; single use. */
export const OidcTokenRequest = z.object({ code: z.string().min(32).max(256) });
export type OidcTokenRequest = z.infer<typeof OidcTokenRequest>;

/** GET /auth/sign-in-options: what the login screen may offer besides the username and password form. */
export const SignInOptions = z.object({
  /** Sign-in with the operator's OpenID provider ("company sign-in") is configured. */
  oidc: z.boolean(),
});
export type SignInOptions = z.infer<typeof SignInOptions>;
