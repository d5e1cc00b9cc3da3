// The operator's directory, as the administrator describes it: a JSON file named by
// CLM_DIRECTORY_CONFIG (checked with zod at start, so a typo refuses the start instead of
// locking everybody out later), plus the secrets from the environment, never from the file.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Role } from '../../../shared/contract/central-api';
import { TeamCode } from '../../../shared/contract/users';
import { createIdpTokenCipher, type IdpTokenCipher } from './idp-token-cipher';

/** One directory group and what its members are here. The first rule a person matches decides. */
export const GroupRule = z.strictObject({
  group: z.string().trim().min(1),
  role: Role,
  team: TeamCode.nullable().default(null),
});
export type GroupRule = z.infer<typeof GroupRule>;

const GroupRules = z.array(GroupRule).min(1, 'map at least one directory group to a role');

const LdapUrl = z
  .string()
  .url()
  .refine((url) => /^ldaps?:\/\//i.test(url), 'an LDAP URL starts with ldap:// or ldaps://');

export const LdapSettings = z
  .strictObject({
    url: LdapUrl,
    /** Bind straight as the person: 'uid={username},ou=people,dc=operator,dc=cn'. */
    userDnTemplate: z.string().includes('{username}', { message: 'userDnTemplate must contain {username}' }).optional(),
    /** Where people are searched (search-then-bind) and what names them. */
    userSearch: z
      .strictObject({
        baseDn: z.string().min(1),
        /** An LDAP filter with {username}, escaped before it goes in. */
        filter: z.string().includes('{username}', { message: 'userSearch.filter must contain {username}' }).default('(uid={username})'),
      })
      .optional(),
    /** The service account for search-then-bind and for the check at each token refresh (its password: CLM_LDAP_BIND_PASSWORD). */
    serviceBindDn: z.string().min(1).optional(),
    displayNameAttribute: z.string().min(1).default('cn'),
    /** An attribute of the person's entry listing their groups' DNs (memberOf on Active Directory or the OpenLDAP memberof overlay)… */
    groupAttribute: z.string().min(1).optional(),
    /** …or a search for the groups that name the person: {dn} is the person's DN, {username} their username. */
    groupSearch: z
      .strictObject({
        baseDn: z.string().min(1),
        filter: z.string().default('(&(objectClass=groupOfNames)(member={dn}))'),
      })
      .optional(),
    /** Group DNs (compared without regard to case) to roles and teams. */
    groups: GroupRules,
    timeoutMs: z.number().int().positive().default(5000),
  })
  .refine((ldap) => (ldap.userDnTemplate === undefined) !== (ldap.userSearch === undefined), {
    message: 'give exactly one of userDnTemplate (bind as the person) or userSearch (search-then-bind)',
  })
  .refine((ldap) => (ldap.groupAttribute === undefined) !== (ldap.groupSearch === undefined), {
    message: 'give exactly one of groupAttribute or groupSearch',
  })
  .refine((ldap) => ldap.userSearch === undefined || ldap.serviceBindDn !== undefined, {
    message: 'userSearch needs serviceBindDn (the account that searches)',
  });
export type LdapSettings = z.infer<typeof LdapSettings> & { serviceBindPassword?: string };

export const OidcSettings = z.strictObject({
  /** The operator IdP's issuer URL; its /.well-known/openid-configuration is read at start. */
  issuer: z.string().url(),
  clientId: z.string().min(1),
  /** This API's callback as registered at the IdP: https://clm.operator.cn/auth/oidc/callback. */
  redirectUri: z.string().url(),
  scopes: z.array(z.string().min(1)).default(['openid', 'profile']),
  /** The ID token claim that names the person here (must be a valid username). */
  usernameClaim: z.string().min(1).default('preferred_username'),
  displayNameClaim: z.string().min(1).default('name'),
  groupsClaim: z.string().min(1).default('groups'),
  groups: GroupRules,
  /** Where a finished sign-in may send the browser besides loopback addresses (the desk listens on one). */
  allowedReturnUrls: z.array(z.string().url()).default([]),
  /** Plain http to the IdP: for tests on localhost only. */
  allowInsecureHttp: z.boolean().default(false),
});
/** `tokenCipher`: seals the IdP's refresh tokens in the database (CLM_TOKEN_KEY, required with `oidc`). */
export type OidcSettings = z.infer<typeof OidcSettings> & { clientSecret?: string; tokenCipher: IdpTokenCipher };

export const DirectoryConfigFile = z.strictObject({ ldap: LdapSettings.optional(), oidc: OidcSettings.optional() });

export interface DirectorySettings {
  ldap?: LdapSettings;
  oidc?: OidcSettings;
}

/** Checks a parsed configuration; the message names every wrong field. */
export function parseDirectoryConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env, source = 'directory configuration'): DirectorySettings {
  const parsed = DirectoryConfigFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new Error(`${source} is not valid: ${problems.join('; ')}`);
  }
  const { ldap, oidc } = parsed.data;
  const settings: DirectorySettings = {};
  if (ldap !== undefined) {
    const serviceBindPassword = env.CLM_LDAP_BIND_PASSWORD;
    if (ldap.serviceBindDn !== undefined && !serviceBindPassword) throw new Error(`${source}: ldap.serviceBindDn is set but CLM_LDAP_BIND_PASSWORD is not`);
    settings.ldap = { ...ldap, ...(serviceBindPassword ? { serviceBindPassword } : {}) };
  }
  if (oidc !== undefined) {
    let tokenCipher: IdpTokenCipher;
    try {
      tokenCipher = createIdpTokenCipher(env.CLM_TOKEN_KEY);
    } catch (error) {
      throw new Error(`${source} configures oidc, whose IdP refresh tokens are stored sealed, but ${(error as Error).message}`);
    }
    settings.oidc = { ...oidc, ...(env.CLM_OIDC_CLIENT_SECRET ? { clientSecret: env.CLM_OIDC_CLIENT_SECRET } : {}), tokenCipher };
  }
  return settings;
}

/** CLM_DIRECTORY_CONFIG: the file's path; unset means local passwords only. */
export function loadDirectoryConfig(env: NodeJS.ProcessEnv = process.env): DirectorySettings {
  const path = env.CLM_DIRECTORY_CONFIG;
  if (!path) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`CLM_DIRECTORY_CONFIG: cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  return parseDirectoryConfig(raw, env, `CLM_DIRECTORY_CONFIG (${path})`);
}
