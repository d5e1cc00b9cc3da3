import type { Migration } from './migration';

export const migration0009DirectorySignIn: Migration = {
  version: 9,
  name: 'directory sign-in',
  statements: [
    // Who the account is in the operator's directory ('ldap:<DN>' or 'oidc:<issuer>#<sub>'); null for
    // local accounts. Kept apart from external_id, which is the contact-center platform's agent id.
    `ALTER TABLE users ADD COLUMN directory_id text`,
    `CREATE UNIQUE INDEX users_directory_id_idx ON users (directory_id) WHERE directory_id IS NOT NULL`,
    // OpenID Connect sign-ins under way, shared by every API instance: the browser may start on one
    // instance and come back to another. Secrets are stored hashed where we only compare them.
    `CREATE TABLE oidc_sign_ins (
      state_hash    text PRIMARY KEY,
      code_verifier text NOT NULL,
      nonce         text NOT NULL,
      return_to     text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      handoff_hash  text UNIQUE,
      user_id       text REFERENCES users (id),
      completed_at  timestamptz
    )`,
  ],
};
