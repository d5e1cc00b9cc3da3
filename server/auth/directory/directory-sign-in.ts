// Sign-in through the operator's directory, whichever kind: the person's groups are placed by the
// configured rules, their account is created or brought up to date, and at every token refresh the
// directory is asked again (LDAP: their entry; OpenID: the IdP's refresh token), so removal from the
// directory or its groups ends their access.
import type { User } from '../../../shared/contract/central-api';
import type { SqlClient } from '../../db/sql-client';
import { directoryIdOf, provisionDirectoryAccount } from '../../users/directory-accounts';
import type { DirectorySettings, GroupRule } from './directory-config';
import { DirectoryUnavailableError, type DirectoryPerson } from './directory-person';
import { placementFor } from './group-mapping';
import { createLdapDirectory, isLdapDirectoryId, type LdapDirectory } from './ldap-directory';
import { IdpTokenKeyError } from './idp-token-cipher';
import { createOidcSignIn, type OidcSignIn } from './oidc-sign-in';
import { openStored, sealStoredIdpTokens } from './sealed-idp-tokens';

export type SignInRefusal = { ok: false; status: 401 | 403 | 409 | 503; error: string; message: string };
export type SignInOutcome = { ok: true; user: User } | SignInRefusal;
/** A refresh the directory still allows; `warning` when the directory could not be asked (the session goes on). */
export type RecheckOutcome = { ok: true; user: User; warning?: string } | { ok: false; message: string };

/** What the directory says about a signed-in person at a refresh. */
type DirectoryAnswer =
  | { kind: 'person'; person: DirectoryPerson; rules: readonly GroupRule[] }
  | { kind: 'refused'; message: string }
  /** Nothing to ask: an OpenID session without an IdP refresh token. */
  | { kind: 'unchecked' };

const SIGN_IN_SWITCHED_OFF = 'Directory sign-in is switched off; log in with a local account';
export const NOT_IN_MAPPED_GROUP = 'Your directory account is not in a group that may use CLM; ask your administrator';
const WRONG_PASSWORD = 'Unknown username or wrong password';

export interface DirectorySignIn {
  /** True when `/auth/login` should ask LDAP rather than the local password (LDAP on, and not a local account). */
  passwordGoesToLdap(account: { directoryId: string | null } | null): boolean;
  signInWithLdap(username: string, password: string): Promise<SignInOutcome>;
  /** Places and provisions a person an OpenID provider vouched for. */
  signInPerson(person: DirectoryPerson, rules: readonly GroupRule[]): Promise<SignInOutcome>;
  /** The OpenID provider's flow; null without an `oidc` configuration. */
  oidc: OidcSignIn | null;
  /** Keeps the IdP's refresh token with our session (`familyId`), for the checks at its refreshes. */
  linkOidcSession(familyId: string, idpRefreshToken: string): Promise<void>;
  /**
   * Seals the IdP refresh tokens stored in plain text or under an older key (see sealed-idp-tokens.ts); run at start.
   * Answers a warning naming the keys of tokens it cannot open, or null.
   */
  sealStoredTokens(): Promise<string | null>;
  /** At a refresh of session `familyId`: may `user` go on, and with which role and team? */
  recheck(user: User, familyId: string): Promise<RecheckOutcome>;
}

const refusal = (status: SignInRefusal['status'], error: string, message: string): SignInRefusal => ({ ok: false, status, error, message });

export function createDirectorySignIn(
  db: SqlClient,
  settings: DirectorySettings,
  ldap: LdapDirectory | null = settings.ldap ? createLdapDirectory(settings.ldap) : null,
): DirectorySignIn {
  const oidc = settings.oidc ? createOidcSignIn(db, settings.oidc) : null;
  async function askLdap(directoryId: string, username: string): Promise<DirectoryAnswer> {
    if (ldap === null || settings.ldap === undefined) return { kind: 'refused', message: SIGN_IN_SWITCHED_OFF };
    const person = await ldap.lookup(directoryId, username);
    if (person === null) return { kind: 'refused', message: 'Your account is no longer in the directory; ask your administrator' };
    return { kind: 'person', person, rules: settings.ldap.groups };
  }

  async function askOidc(familyId: string): Promise<DirectoryAnswer> {
    const [session] = await db.query<{ idp_refresh_token: string; idp_refresh_token_key_id: string | null }>(
      'SELECT idp_refresh_token, idp_refresh_token_key_id FROM oidc_sessions WHERE family_id = $1',
      [familyId],
    );
    // The IdP gave no refresh token at the sign-in: the person was checked then, and is again at their next sign-in.
    if (session === undefined) return { kind: 'unchecked' };
    if (oidc === null || settings.oidc === undefined) return { kind: 'refused', message: SIGN_IN_SWITCHED_OFF };
    let idpRefreshToken: string;
    try {
      idpRefreshToken = openStored(settings.oidc.tokenCipher, session.idp_refresh_token, session.idp_refresh_token_key_id)!;
    } catch (error) {
      // A key missing from CLM_TOKEN_KEY is the operator's outage, like the IdP's: the session goes on, the log says which key.
      if (error instanceof IdpTokenKeyError) throw new DirectoryUnavailableError(error.message, { cause: error });
      throw error;
    }
    const answer = await oidc.refreshPerson(idpRefreshToken);
    if (answer === null) return { kind: 'refused', message: 'Your company sign-in no longer allows this session; sign in again or ask your administrator' };
    const sealed = settings.oidc.tokenCipher.seal(answer.idpRefreshToken);
    await db.query('UPDATE oidc_sessions SET idp_refresh_token = $2, idp_refresh_token_key_id = $3, updated_at = now() WHERE family_id = $1', [
      familyId,
      sealed.sealed,
      sealed.keyId,
    ]);
    return { kind: 'person', person: answer.person, rules: settings.oidc.groups };
  }

  async function signInPerson(person: DirectoryPerson, rules: readonly GroupRule[]): Promise<SignInOutcome> {
    const placement = placementFor(rules, person.groups);
    if (placement === null) return refusal(403, 'not_permitted', NOT_IN_MAPPED_GROUP);
    const provisioned = await provisionDirectoryAccount(db, person, placement);
    if (!provisioned.ok) return refusal(409, provisioned.reason, provisioned.message);
    if (provisioned.disabled) return refusal(403, 'account_disabled', 'This account is disabled; ask an administrator');
    return { ok: true, user: provisioned.user };
  }

  return {
    passwordGoesToLdap: (account) => ldap !== null && (account === null || (account.directoryId !== null && isLdapDirectoryId(account.directoryId))),

    async signInWithLdap(username, password) {
      if (ldap === null || settings.ldap === undefined) return refusal(401, 'invalid_credentials', WRONG_PASSWORD);
      let person: DirectoryPerson | null;
      try {
        person = await ldap.authenticate(username, password);
      } catch (error) {
        if (error instanceof DirectoryUnavailableError) return refusal(503, 'directory_unavailable', 'The directory does not answer; try again shortly');
        throw error;
      }
      if (person === null) return refusal(401, 'invalid_credentials', WRONG_PASSWORD);
      return signInPerson(person, settings.ldap.groups);
    },

    signInPerson,

    oidc,

    async linkOidcSession(familyId, idpRefreshToken) {
      if (settings.oidc === undefined) throw new Error('an OpenID session is linked only where oidc is configured');
      const sealed = settings.oidc.tokenCipher.seal(idpRefreshToken);
      await db.transaction(async (tx) => {
        // Sessions whose refresh tokens are gone (a day after they ended) need their IdP token no more.
        await tx.query('DELETE FROM oidc_sessions s WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = s.family_id)');
        await tx.query(
          `INSERT INTO oidc_sessions (family_id, idp_refresh_token, idp_refresh_token_key_id) VALUES ($1, $2, $3)
           ON CONFLICT (family_id) DO UPDATE SET idp_refresh_token = excluded.idp_refresh_token,
             idp_refresh_token_key_id = excluded.idp_refresh_token_key_id, updated_at = now()`,
          [familyId, sealed.sealed, sealed.keyId],
        );
      });
    },

    async sealStoredTokens() {
      if (settings.oidc === undefined) return null;
      const report = await sealStoredIdpTokens(db, settings.oidc.tokenCipher);
      const unopenable = Object.entries(report.unopenable);
      if (unopenable.length === 0) return null;
      return (
        `stored IdP refresh tokens under keys CLM_TOKEN_KEY does not list (${unopenable.map(([keyId, count]) => `'${keyId}': ${count}`).join(', ')}): ` +
        'their sessions are not checked with the IdP until they sign in again; add the key back to CLM_TOKEN_KEY (after the first) to keep checking them'
      );
    },

    async recheck(user, familyId) {
      const link = await directoryIdOf(db, user.id);
      if (link === null) return { ok: true, user };
      let asked: DirectoryAnswer;
      try {
        asked = isLdapDirectoryId(link.directoryId) ? await askLdap(link.directoryId, link.username) : await askOidc(familyId);
      } catch (error) {
        // A directory outage must not stop the call centre: the session goes on, and the check runs again at the next refresh.
        if (error instanceof DirectoryUnavailableError) return { ok: true, user, warning: error.message };
        throw error;
      }
      if (asked.kind === 'unchecked') return { ok: true, user };
      if (asked.kind === 'refused') return { ok: false, message: asked.message };
      const placement = placementFor(asked.rules, asked.person.groups);
      if (placement === null) return { ok: false, message: NOT_IN_MAPPED_GROUP };
      // The account stays linked as it was: the stored link and username, the directory's groups and name.
      const provisioned = await provisionDirectoryAccount(db, { ...asked.person, directoryId: link.directoryId, username: link.username }, placement);
      if (!provisioned.ok || provisioned.disabled) return { ok: false, message: 'This account is disabled; ask an administrator' };
      return { ok: true, user: provisioned.user };
    },
  };
}
