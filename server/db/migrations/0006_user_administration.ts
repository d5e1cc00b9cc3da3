import type { Migration } from './migration';

export const migration0006UserAdministration: Migration = {
  version: 6,
  name: 'user administration',
  statements: [
    // A disabled account keeps its rows (outcomes and audit name it) but can neither log in nor refresh.
    `ALTER TABLE users ADD COLUMN disabled_at timestamptz`,
    // The agent's id on the contact-center platform; unique, so a platform event maps to one user.
    `ALTER TABLE users ADD COLUMN external_id text`,
    `CREATE UNIQUE INDEX users_external_id_idx ON users (external_id) WHERE external_id IS NOT NULL`,
  ],
};
