import type { Migration } from './migration';

export const migration0010OidcSessionChecks: Migration = {
  version: 10,
  name: 'OpenID session checks',
  statements: [
    // The IdP's refresh token from the sign-in, until the desk collects its own tokens.
    `ALTER TABLE oidc_sign_ins ADD COLUMN idp_refresh_token text`,
    // Per session (refresh-token family) of an OpenID account: the IdP's refresh token, spent at each of
    // our refreshes so the IdP says whether the person may go on and in which groups.
    `CREATE TABLE oidc_sessions (
      family_id         uuid PRIMARY KEY,
      idp_refresh_token text NOT NULL,
      updated_at        timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};
