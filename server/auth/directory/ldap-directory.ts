// LDAP bind with ldapts: the person's password is checked by the directory itself (a bind as
// their DN), never by us. Their groups come from an attribute of their entry or a group search.
// At each token refresh the entry is read again with the service account (or anonymously), so a
// person deleted from the directory or taken out of the mapped groups loses access.
import { Client, Filter, InvalidCredentialsError, NoSuchObjectError, type Entry } from 'ldapts';
import type { LdapSettings } from './directory-config';
import { DirectoryUnavailableError, type DirectoryPerson } from './directory-person';

const LDAP_PREFIX = 'ldap:';

export interface LdapDirectory {
  /** The person, when the directory accepts the password; null for an unknown person or a wrong password. */
  authenticate(username: string, password: string): Promise<DirectoryPerson | null>;
  /** The person as the directory has them now (`username`: the account's, for group filters naming it); null when the entry is gone. */
  lookup(directoryId: string, username: string): Promise<DirectoryPerson | null>;
}

export const isLdapDirectoryId = (directoryId: string) => directoryId.startsWith(LDAP_PREFIX);

/** RFC 4514: an attribute value inside a DN. */
function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (char) => `\\${char}`)
    .replace(/^[ #]/, (char) => `\\${char}`)
    .replace(/ $/, '\\ ');
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

const firstValue = (entry: Entry, attribute: string): string | undefined => {
  const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : String(first);
};

const allValues = (entry: Entry, attribute: string): string[] => {
  const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
};

export function createLdapDirectory(settings: LdapSettings): LdapDirectory {
  const connect = () => new Client({ url: settings.url, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs });

  /** Runs `work` on a fresh connection; anything but a verdict on the person is the directory being unavailable. */
  async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = connect();
    try {
      return await work(client);
    } catch (error) {
      if (error instanceof InvalidCredentialsError || error instanceof NoSuchObjectError) throw error;
      throw new DirectoryUnavailableError(`LDAP directory ${settings.url} did not answer: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** Binds as the service account, or stays anonymous when none is configured. */
  async function bindAsService(client: Client): Promise<void> {
    if (settings.serviceBindDn !== undefined) await client.bind(settings.serviceBindDn, settings.serviceBindPassword ?? '');
  }

  async function findDn(client: Client, username: string): Promise<string | null> {
    if (settings.userDnTemplate !== undefined) return fill(settings.userDnTemplate, { username: escapeDnValue(username) });
    const search = settings.userSearch!;
    const { searchEntries } = await client.search(search.baseDn, {
      scope: 'sub',
      filter: fill(search.filter, { username: Filter.escape(username) }),
      attributes: ['dn'],
      sizeLimit: 2,
    });
    // Two people answering to one username is a directory problem we will not guess our way through.
    return searchEntries.length === 1 ? searchEntries[0]!.dn : null;
  }

  /** Reads the person's entry and groups; null when the entry does not exist. */
  async function readPerson(client: Client, dn: string, username: string): Promise<DirectoryPerson | null> {
    const attributes = [settings.displayNameAttribute, ...(settings.groupAttribute === undefined ? [] : [settings.groupAttribute])];
    const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes });
    const entry = searchEntries[0];
    if (entry === undefined) return null;
    let groups: string[];
    if (settings.groupAttribute !== undefined) groups = allValues(entry, settings.groupAttribute);
    else {
      const search = settings.groupSearch!;
      const { searchEntries: groupEntries } = await client.search(search.baseDn, {
        scope: 'sub',
        filter: fill(search.filter, { dn: Filter.escape(entry.dn), username: Filter.escape(username) }),
        attributes: ['dn'],
      });
      groups = groupEntries.map((group) => group.dn);
    }
    return { directoryId: `${LDAP_PREFIX}${entry.dn}`, username, displayName: firstValue(entry, settings.displayNameAttribute) ?? username, groups };
  }

  return {
    async authenticate(username, password) {
      // An empty password is an LDAP "unauthenticated bind", which many servers accept: never send one.
      if (password.length === 0) return null;
      try {
        return await withClient(async (client) => {
          if (settings.userSearch !== undefined) await bindAsService(client);
          const dn = await findDn(client, username);
          if (dn === null) return null;
          await client.bind(dn, password);
          // Read as the person: the directory's own rules decide what they may see of themselves.
          return readPerson(client, dn, username);
        });
      } catch (error) {
        if (error instanceof InvalidCredentialsError || error instanceof NoSuchObjectError) return null;
        throw error;
      }
    },

    async lookup(directoryId, username) {
      if (!isLdapDirectoryId(directoryId)) return null;
      const dn = directoryId.slice(LDAP_PREFIX.length);
      try {
        return await withClient(async (client) => {
          await bindAsService(client);
          return readPerson(client, dn, username);
        });
      } catch (error) {
        // A wrong service password is ours to fix, not a reason to end everyone's session.
        if (error instanceof InvalidCredentialsError) throw new DirectoryUnavailableError(`LDAP service account refused by ${settings.url}`, { cause: error });
        if (error instanceof NoSuchObjectError) return null;
        throw error;
      }
    },
  };
}
