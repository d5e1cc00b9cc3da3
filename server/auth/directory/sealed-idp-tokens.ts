// The IdP refresh tokens as the database keeps them (oidc_sign_ins while the desk collects its tokens,
// oidc_sessions for the session's life): sealed with CLM_TOKEN_KEY, the key's id in the column beside.
import type { SqlClient } from '../../db/sql-client';
import { IdpTokenKeyError, type IdpTokenCipher } from './idp-token-cipher';

/** The tables that keep an IdP refresh token, with the column that names their rows. */
const TOKEN_TABLES = [
  { table: 'oidc_sign_ins', key: 'state_hash' },
  { table: 'oidc_sessions', key: 'family_id' },
] as const;

/**
 * A stored token in the clear. A null key id is a token stored before tokens were sealed (migration 14),
 * or by an instance of the older build during a rolling upgrade: it is read as it is and sealed at its next write.
 */
export function openStored(cipher: IdpTokenCipher, stored: string | null, keyId: string | null): string | null {
  if (stored === null) return null;
  return keyId === null ? stored : cipher.open({ keyId, sealed: stored });
}

export interface SealingReport {
  /** Tokens found in plain text and sealed now. */
  sealed: number;
  /** Tokens under a key that is no longer first, sealed again under the first. */
  resealed: number;
  /** Key ids of tokens this configuration cannot open (left as they are), with how many. */
  unopenable: Record<string, number>;
}

/**
 * Brings every stored token under the current key: seals those in plain text (what migration 14 cannot do in
 * SQL, the key being configuration) and those under an older key, so an old key can leave CLM_TOKEN_KEY once
 * the report counts none under it. One transaction: instances starting together seal each row once.
 */
export async function sealStoredIdpTokens(db: SqlClient, cipher: IdpTokenCipher): Promise<SealingReport> {
  const report: SealingReport = { sealed: 0, resealed: 0, unopenable: {} };
  await db.transaction(async (tx) => {
    for (const { table, key } of TOKEN_TABLES) {
      const rows = await tx.query<{ id: string; token: string; key_id: string | null }>(
        `SELECT ${key}::text AS id, idp_refresh_token AS token, idp_refresh_token_key_id AS key_id FROM ${table}
         WHERE idp_refresh_token IS NOT NULL AND idp_refresh_token_key_id IS DISTINCT FROM $1 FOR UPDATE`,
        [cipher.currentKeyId],
      );
      for (const row of rows) {
        let token: string;
        try {
          token = openStored(cipher, row.token, row.key_id)!;
        } catch (error) {
          if (!(error instanceof IdpTokenKeyError)) throw error;
          report.unopenable[row.key_id!] = (report.unopenable[row.key_id!] ?? 0) + 1;
          continue;
        }
        const sealed = cipher.seal(token);
        await tx.query(`UPDATE ${table} SET idp_refresh_token = $2, idp_refresh_token_key_id = $3 WHERE ${key}::text = $1`, [
          row.id,
          sealed.sealed,
          sealed.keyId,
        ]);
        if (row.key_id === null) report.sealed += 1;
        else report.resealed += 1;
      }
    }
  });
  return report;
}
