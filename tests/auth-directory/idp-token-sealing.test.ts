// The IdP's refresh tokens at rest: sealed with AES-256-GCM under CLM_TOKEN_KEY, the key id beside them.
// Rows stored in plain text before migration 14 are sealed when the server starts; a new first key
// re-seals the rows at the next start; a key missing from the configuration is a clear warning, the
// session goes on unchecked (as when the IdP is down), and nothing crashes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/contract/central-api';
import { parseDirectoryConfig, type DirectorySettings } from '../../server/auth/directory/directory-config';
import { createDirectorySignIn } from '../../server/auth/directory/directory-sign-in';
import { IdpTokenKeyError, createIdpTokenCipher } from '../../server/auth/directory/idp-token-cipher';
import { startTestApi } from '../server/support/test-api';
import { openDemoPglite, type TestPglite } from '../support/test-pglite';
import { KEY_1, KEY_1_WRONG, KEY_2 } from './support/token-keys';

const ISSUER = 'http://127.0.0.1:9';
const directoryWith = (tokenKey: string | undefined): DirectorySettings =>
  parseDirectoryConfig(
    {
      oidc: {
        issuer: ISSUER,
        clientId: 'clm',
        redirectUri: 'https://clm.operator.test/auth/oidc/callback',
        groups: [{ group: 'clm-agents-t2', role: 'agent', team: 'T2' }],
        allowInsecureHttp: true,
      },
    },
    tokenKey === undefined ? {} : { CLM_TOKEN_KEY: tokenKey },
  );

describe('the token cipher', () => {
  it('seals a token into something that is not the token, and opens it again', () => {
    const cipher = createIdpTokenCipher(KEY_1);
    const sealed = cipher.seal('idp-refresh-token-abc');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.sealed).not.toContain('idp-refresh-token-abc');
    expect(cipher.seal('idp-refresh-token-abc').sealed).not.toBe(sealed.sealed);
    expect(cipher.open(sealed)).toBe('idp-refresh-token-abc');
  });

  it('refuses a wrong key, an unlisted key, an altered value or a value moved under another key id, with a clear error', () => {
    const sealed = createIdpTokenCipher(KEY_1).seal('idp-refresh-token-abc');
    expect(() => createIdpTokenCipher(KEY_1_WRONG).open(sealed)).toThrow(IdpTokenKeyError);
    expect(() => createIdpTokenCipher(KEY_1_WRONG).open(sealed)).toThrow("does not open with key 'k1'");
    expect(() => createIdpTokenCipher(KEY_2).open(sealed)).toThrow("sealed with key 'k1', which CLM_TOKEN_KEY does not list");
    const altered = { ...sealed, sealed: `${sealed.sealed.slice(0, 20)}${sealed.sealed[20] === 'A' ? 'B' : 'A'}${sealed.sealed.slice(21)}` };
    expect(() => createIdpTokenCipher(KEY_1).open(altered)).toThrow(IdpTokenKeyError);
    const bothUnderOneKey = createIdpTokenCipher(`k2:${KEY_1.slice(3)},${KEY_1}`);
    expect(() => bothUnderOneKey.open({ ...sealed, keyId: 'k2' })).toThrow(IdpTokenKeyError);
  });

  it('says what is wrong with CLM_TOKEN_KEY without printing the key', () => {
    expect(() => createIdpTokenCipher(undefined)).toThrow('CLM_TOKEN_KEY is not set');
    expect(() => createIdpTokenCipher('bm90IGEga2V5')).toThrow('entry 1 has no key id');
    expect(() => createIdpTokenCipher('k1:c2hvcnQ=')).toThrow("key 'k1' is 5 bytes, not 32");
    expect(() => createIdpTokenCipher(`${KEY_1},${KEY_1}`)).toThrow("key id 'k1' is listed twice");
    try {
      createIdpTokenCipher('k1:c2hvcnQ=');
    } catch (error) {
      expect((error as Error).message).not.toContain('c2hvcnQ=');
    }
  });

  it('refuses to start with oidc configured and no CLM_TOKEN_KEY, saying so', () => {
    expect(() => directoryWith(undefined)).toThrow(/configures oidc, whose IdP refresh tokens are stored sealed, but CLM_TOKEN_KEY is not set/);
    expect(parseDirectoryConfig({}, {})).toEqual({});
  });
});

describe('stored tokens: sealed at start (migration 14), re-sealed under a new key, and a missing key', () => {
  let db: TestPglite;
  const familyId = randomUUID();
  const user: User = { id: 'wuhao', role: 'agent', displayName: '吴昊', team: 'T2' };
  const stored = async () =>
    (
      await db.db.query<{ table: string; token: string; key_id: string | null }>(
        `SELECT 'session' AS table, idp_refresh_token AS token, idp_refresh_token_key_id AS key_id FROM oidc_sessions WHERE family_id = $1
         UNION ALL SELECT 'sign-in', idp_refresh_token, idp_refresh_token_key_id FROM oidc_sign_ins WHERE state_hash = 'state-under-way'
         ORDER BY 1`,
        [familyId],
      )
    ).map((row) => ({ ...row }));
  const startApi = async (tokenKey: string) => {
    const api = await startTestApi({ db: { client: db.db, driver: 'pglite' }, seedCustomers: 10, directory: directoryWith(tokenKey) });
    await api.close();
  };

  beforeAll(async () => {
    db = await openDemoPglite(10);
    // What a database upgraded from migration 13 holds: the tokens as the IdP gave them, no key id.
    await db.db.query(
      `INSERT INTO users (id, username, role, display_name, team, password_hash, directory_id) VALUES ('wuhao', 'wuhao', 'agent', '吴昊', 'T2', '!', $1)`,
      [`oidc:${ISSUER}#wuhao`],
    );
    await db.db.query('INSERT INTO oidc_sessions (family_id, idp_refresh_token) VALUES ($1, $2)', [familyId, 'idp-token-of-a-session']);
    await db.db.query(
      `INSERT INTO oidc_sign_ins (state_hash, code_verifier, nonce, return_to, idp_refresh_token) VALUES ('state-under-way', 'v', 'n', 'http://127.0.0.1:1/x', 'idp-token-of-a-sign-in')`,
    );
  }, 120_000);
  afterAll(() => db?.dispose());

  it('the server seals the plain rows when it starts: the row in the database is not the token', async () => {
    await startApi(KEY_1);
    const rows = await stored();
    expect(rows.map((row) => row.key_id)).toEqual(['k1', 'k1']);
    expect(rows[0]!.token).not.toContain('idp-token-of-a-session');
    expect(rows[1]!.token).not.toContain('idp-token-of-a-sign-in');
    const cipher = createIdpTokenCipher(KEY_1);
    expect(rows.map((row) => cipher.open({ keyId: row.key_id!, sealed: row.token }))).toEqual(['idp-token-of-a-session', 'idp-token-of-a-sign-in']);
  });

  it('rotation: with a new first key the next start re-seals every row under it, and the old key may then go', async () => {
    await startApi(`${KEY_2},${KEY_1}`);
    const rows = await stored();
    expect(rows.map((row) => row.key_id)).toEqual(['k2', 'k2']);
    const onlyNewKey = createIdpTokenCipher(KEY_2);
    expect(rows.map((row) => onlyNewKey.open({ keyId: row.key_id!, sealed: row.token }))).toEqual(['idp-token-of-a-session', 'idp-token-of-a-sign-in']);
    expect(await createDirectorySignIn(db.db, directoryWith(KEY_2)).sealStoredTokens()).toBeNull();
  });

  it('a key missing from CLM_TOKEN_KEY: a clear warning at start, the rows left as they are, and a refresh goes on with a warning, no crash', async () => {
    const before = await stored();
    const directory = createDirectorySignIn(db.db, directoryWith(KEY_1));
    expect(await directory.sealStoredTokens()).toMatch(/keys CLM_TOKEN_KEY does not list \('k2': 2\)/);
    await startApi(KEY_1); // starts all the same
    expect(await stored()).toEqual(before);
    const recheck = await directory.recheck(user, familyId);
    expect(recheck).toEqual({ ok: true, user, warning: expect.stringContaining("sealed with key 'k2', which CLM_TOKEN_KEY does not list") });
  });
});
