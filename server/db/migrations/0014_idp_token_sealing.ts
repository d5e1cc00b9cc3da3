import type { Migration } from './migration';

export const migration0014IdpTokenSealing: Migration = {
  version: 14,
  name: 'IdP refresh tokens sealed',
  statements: [
    // The IdP's refresh tokens are stored sealed (AES-256-GCM, server/auth/directory/idp-token-cipher.ts) under a
    // key from CLM_TOKEN_KEY, whose id goes here. The key is configuration, not data, so SQL cannot seal the rows
    // stored before: a null key id marks a token still in plain text, and the server seals those when it starts
    // (sealStoredIdpTokens), before it answers a request. Tokens under a key no longer first are sealed again then.
    `ALTER TABLE oidc_sign_ins ADD COLUMN idp_refresh_token_key_id text`,
    `ALTER TABLE oidc_sessions ADD COLUMN idp_refresh_token_key_id text`,
  ],
};
