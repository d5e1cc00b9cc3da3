import type { Migration } from './migration';

export const migration0019DeskRevocation: Migration = {
  version: 19,
  name: 'desk revocation',
  statements: [
    // A desk is its cache's device id. Who last started a session on it and when, so an administrator can
    // find a lost laptop's desk; whether it is revoked, by whom, why, and what it does with its unsent work.
    `ALTER TABLE devices ADD COLUMN last_user_id text`,
    `ALTER TABLE devices ADD COLUMN last_seen_at timestamptz`,
    `ALTER TABLE devices ADD COLUMN revoked_at timestamptz`,
    `ALTER TABLE devices ADD COLUMN revoked_by text`,
    `ALTER TABLE devices ADD COLUMN revoke_reason text`,
    `ALTER TABLE devices ADD COLUMN unsent_decision text CHECK (unsent_decision IN ('hold', 'discard'))`,
    // The desk a session was started on (null: a session from before desks named themselves, or a script's),
    // so revoking a desk revokes its refresh tokens and a refresh can say why it is refused.
    `ALTER TABLE refresh_tokens ADD COLUMN device_id text`,
    `CREATE INDEX refresh_tokens_device_idx ON refresh_tokens (device_id) WHERE device_id IS NOT NULL`,
  ],
};
