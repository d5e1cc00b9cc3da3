import type { Migration } from './migration';

export const migration0002RefreshTokensAndLoginFailures: Migration = {
  version: 2,
  name: 'refresh tokens and login failures',
  statements: [
    // Only a SHA-256 of each refresh token is kept: a copy of this table cannot be replayed.
    // family_id ties together one login's chain of rotations, so a reuse can revoke the chain.
    `CREATE TABLE refresh_tokens (
      token_hash         text PRIMARY KEY,
      family_id          uuid NOT NULL,
      user_id            text NOT NULL REFERENCES users (id),
      session_expires_at timestamptz NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      used_at            timestamptz,
      revoked_at         timestamptz
    )`,
    `CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`,
    `CREATE INDEX refresh_tokens_expiry_idx ON refresh_tokens (session_expires_at)`,

    // The login rate limit's ledger. username_key is a hash: people type passwords into the
    // username field, and this table must not keep them.
    `CREATE TABLE login_failures (
      id           bigserial PRIMARY KEY,
      username_key text NOT NULL,
      client_ip    text NOT NULL,
      failed_at    timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX login_failures_username_idx ON login_failures (username_key, failed_at)`,
    `CREATE INDEX login_failures_ip_idx ON login_failures (client_ip, failed_at)`,
    `CREATE INDEX login_failures_age_idx ON login_failures (failed_at)`,
  ],
};
