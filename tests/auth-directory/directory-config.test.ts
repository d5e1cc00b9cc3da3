// The directory configuration an operator writes: checked whole at start (every mistake named),
// secrets taken from the environment only, and groups placed by the first matching rule.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDirectoryConfig, parseDirectoryConfig } from '../../server/auth/directory/directory-config';
import { placementFor } from '../../server/auth/directory/group-mapping';

const RULES = [
  { group: 'cn=clm-supervisors,ou=groups,dc=operator,dc=cn', role: 'supervisor', team: 'S1' },
  { group: 'cn=clm-agents-t1,ou=groups,dc=operator,dc=cn', role: 'agent', team: 'T1' },
];
const LDAP = {
  url: 'ldaps://ldap.operator.cn',
  userDnTemplate: 'uid={username},ou=people,dc=operator,dc=cn',
  groupSearch: { baseDn: 'ou=groups,dc=operator,dc=cn' },
  groups: RULES,
};

const problemsOf = (raw: unknown, env: NodeJS.ProcessEnv = {}) => {
  try {
    parseDirectoryConfig(raw, env);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('directory configuration', () => {
  it('accepts an LDAP bind-as-the-person configuration and fills in the defaults', () => {
    const { ldap } = parseDirectoryConfig({ ldap: LDAP }, {});
    expect(ldap).toMatchObject({
      displayNameAttribute: 'cn',
      timeoutMs: 5000,
      groupSearch: { filter: '(&(objectClass=groupOfNames)(member={dn}))' },
      groups: [
        { role: 'supervisor', team: 'S1' },
        { role: 'agent', team: 'T1' },
      ],
    });
    expect(ldap?.serviceBindPassword).toBeUndefined();
  });

  it('names every mistake at once', () => {
    const message = problemsOf({ ldap: { ...LDAP, url: 'http://ldap.operator.cn', groups: [{ group: 'x', role: 'boss' }] } });
    expect(message).toContain('ldap.url: an LDAP URL starts with ldap:// or ldaps://');
    expect(message).toContain('ldap.groups.0.role');
  });

  it('wants exactly one way to find the person and one way to find their groups', () => {
    expect(
      problemsOf({ ldap: { ...LDAP, userSearch: { baseDn: 'ou=people,dc=operator,dc=cn' }, serviceBindDn: 'cn=svc' } }, { CLM_LDAP_BIND_PASSWORD: 'x' }),
    ).toContain('exactly one of userDnTemplate');
    expect(problemsOf({ ldap: { ...LDAP, groupAttribute: 'memberOf' } })).toContain('exactly one of groupAttribute or groupSearch');
    expect(problemsOf({ ldap: { ...LDAP, userDnTemplate: 'uid=fixed,dc=operator,dc=cn' } })).toContain('must contain {username}');
  });

  it('takes passwords from the environment, never from the file', () => {
    expect(problemsOf({ ldap: { ...LDAP, bindPassword: 'in-the-file' } })).toContain('bindPassword');
    expect(problemsOf({ ldap: { ...LDAP, serviceBindDn: 'cn=svc,dc=operator,dc=cn' } })).toContain('CLM_LDAP_BIND_PASSWORD is not');
    const { ldap } = parseDirectoryConfig({ ldap: { ...LDAP, serviceBindDn: 'cn=svc,dc=operator,dc=cn' } }, { CLM_LDAP_BIND_PASSWORD: 'from-env' });
    expect(ldap?.serviceBindPassword).toBe('from-env');
    const { oidc } = parseDirectoryConfig(
      { oidc: { issuer: 'https://idp.operator.cn/', clientId: 'clm', redirectUri: 'https://clm.operator.cn/auth/oidc/callback', groups: RULES } },
      { CLM_OIDC_CLIENT_SECRET: 'oidc-secret', CLM_TOKEN_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}` },
    );
    expect(oidc).toMatchObject({ clientSecret: 'oidc-secret', scopes: ['openid', 'profile'], groupsClaim: 'groups', usernameClaim: 'preferred_username' });
    expect(oidc?.tokenCipher.currentKeyId).toBe('k1');
  });

  it('reads the file CLM_DIRECTORY_CONFIG names, and says which file is wrong', async () => {
    expect(loadDirectoryConfig({})).toEqual({});
    const dir = await mkdtemp(join(tmpdir(), 'clm-directory-config-'));
    try {
      const good = join(dir, 'directory.json');
      await writeFile(good, JSON.stringify({ ldap: LDAP }));
      expect(loadDirectoryConfig({ CLM_DIRECTORY_CONFIG: good }).ldap?.url).toBe('ldaps://ldap.operator.cn');
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{ "ldap": ');
      expect(() => loadDirectoryConfig({ CLM_DIRECTORY_CONFIG: broken })).toThrow(`cannot read ${broken} as JSON`);
      expect(() => loadDirectoryConfig({ CLM_DIRECTORY_CONFIG: join(dir, 'missing.json') })).toThrow('CLM_DIRECTORY_CONFIG');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('group placement', () => {
  it('the first rule the person matches decides, compared without regard to case or spaces after commas', () => {
    const both = ['CN=clm-agents-t1, OU=groups, DC=operator, DC=cn', 'cn=CLM-Supervisors,ou=groups,dc=operator,dc=cn'];
    expect(placementFor(parseDirectoryConfig({ ldap: LDAP }, {}).ldap!.groups, both)).toEqual({ role: 'supervisor', team: 'S1' });
    expect(placementFor(parseDirectoryConfig({ ldap: LDAP }, {}).ldap!.groups, [both[0]!])).toEqual({ role: 'agent', team: 'T1' });
  });

  it('no mapped group, no place', () => {
    expect(placementFor(parseDirectoryConfig({ ldap: LDAP }, {}).ldap!.groups, ['cn=canteen,ou=groups,dc=operator,dc=cn'])).toBeNull();
    expect(placementFor(parseDirectoryConfig({ ldap: LDAP }, {}).ldap!.groups, [])).toBeNull();
  });
});
