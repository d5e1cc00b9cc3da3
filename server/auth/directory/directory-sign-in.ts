// Sign-in through the operator's directory, whichever kind: the person's groups are placed by the
// configured rules, their account is created or brought up to date, and at every token refresh an
// LDAP person is looked up again so removal from the directory or its groups ends their access.
import type { User } from '../../../shared/contract/central-api';
import type { SqlClient } from '../../db/sql-client';
import { directoryIdOf, provisionDirectoryAccount } from '../../users/directory-accounts';
import type { DirectorySettings, GroupRule } from './directory-config';
import { DirectoryUnavailableError, type DirectoryPerson } from './directory-person';
import { placementFor } from './group-mapping';
import { createLdapDirectory, isLdapDirectoryId, type LdapDirectory } from './ldap-directory';

export type SignInRefusal = { ok: false; status: 401 | 403 | 409 | 503; error: string; message: string };
export type SignInOutcome = { ok: true; user: User } | SignInRefusal;
/** A refresh the directory still allows; `warning` when the directory could not be asked (the session goes on). */
export type RecheckOutcome = { ok: true; user: User; warning?: string } | { ok: false; message: string };

export const NOT_IN_MAPPED_GROUP = 'Your directory account is not in a group that may use CLM; ask your administrator';
const WRONG_PASSWORD = 'Unknown username or wrong password';

export interface DirectorySignIn {
  /** True when `/auth/login` should ask LDAP rather than the local password (LDAP on, and not a local account). */
  passwordGoesToLdap(account: { directoryId: string | null } | null): boolean;
  signInWithLdap(username: string, password: string): Promise<SignInOutcome>;
  /** Places and provisions a person an OpenID provider vouched for. */
  signInPerson(person: DirectoryPerson, rules: readonly GroupRule[]): Promise<SignInOutcome>;
  /** At a token refresh: may `user` go on, and with which role and team? */
  recheck(user: User): Promise<RecheckOutcome>;
}

const refusal = (status: SignInRefusal['status'], error: string, message: string): SignInRefusal => ({ ok: false, status, error, message });

export function createDirectorySignIn(
  db: SqlClient,
  settings: DirectorySettings,
  ldap: LdapDirectory | null = settings.ldap ? createLdapDirectory(settings.ldap) : null,
): DirectorySignIn {
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

    async recheck(user) {
      const link = await directoryIdOf(db, user.id);
      // Local accounts, and OpenID accounts (no IdP session to ask here), keep what the database says.
      if (link === null || !isLdapDirectoryId(link.directoryId)) return { ok: true, user };
      if (ldap === null || settings.ldap === undefined) return { ok: false, message: 'Directory sign-in is switched off; log in with a local account' };
      let person: DirectoryPerson | null;
      try {
        person = await ldap.lookup(link.directoryId, link.username);
      } catch (error) {
        // A directory outage must not stop the call centre: the session goes on, and the check runs again at the next refresh.
        if (error instanceof DirectoryUnavailableError) return { ok: true, user, warning: error.message };
        throw error;
      }
      if (person === null) return { ok: false, message: 'Your account is no longer in the directory; ask your administrator' };
      const placement = placementFor(settings.ldap.groups, person.groups);
      if (placement === null) return { ok: false, message: NOT_IN_MAPPED_GROUP };
      const provisioned = await provisionDirectoryAccount(db, { ...person, username: link.username }, placement);
      if (!provisioned.ok || provisioned.disabled) return { ok: false, message: 'This account is disabled; ask an administrator' };
      return { ok: true, user: provisioned.user };
    },
  };
}
