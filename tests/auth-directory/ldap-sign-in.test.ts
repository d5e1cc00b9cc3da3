// Sign-in from the operator's LDAP directory against a real OpenLDAP (Debian's slapd, started and
// stopped by this file): people bind with their directory password, their groups give their role
// and team, their account is created at first sign-in, and at each token refresh the directory is
// asked again, so a person deleted or taken out of the mapped groups loses access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse, RefreshResponse } from '../../shared/contract/auth-refresh';
import type { CentralApi } from '../../server/app';
import { parseDirectoryConfig } from '../../server/auth/directory/directory-config';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { expectApiError, startTestApi } from '../server/support/test-api';
import { GROUPS, ORGANISATION_LDIF, PEOPLE, SERVICE_DN, SERVICE_PASSWORD, SLAPD, startSlapd, type Slapd } from './support/openldap';

const SKIP_REASON = 'slapd is not installed (Debian: apt-get install slapd ldap-utils); the LDAP sign-in tests need a real OpenLDAP';
if (SLAPD === null) console.warn(`SKIPPED ldap-sign-in.test.ts: ${SKIP_REASON}`);

const group = (cn: string) => `cn=${cn},${GROUPS}`;
const person = (uid: string) => `uid=${uid},${PEOPLE}`;
/** Supervisors first: someone in both groups is a supervisor. */
const GROUP_RULES = [
  { group: group('clm-supervisors'), role: 'supervisor', team: 'T1' },
  { group: group('clm-agents-t1'), role: 'agent', team: 'T1' },
  { group: group('clm-agents-t2'), role: 'agent', team: 'T2' },
];

const PASSWORDS: Record<string, string> = { zhangwei: 'Zhang-Wei-Pass-2027', lina: 'Li-Na-Pass-2027' };

async function logIn(api: CentralApi, username: string, password = PASSWORDS[username] ?? DEMO_PASSWORD) {
  return api.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
}
async function signedIn(api: CentralApi, username: string, password?: string): Promise<LoginWithRefreshResponse> {
  const response = await logIn(api, username, password);
  expect(response.statusCode, response.body).toBe(200);
  return LoginWithRefreshResponse.parse(response.json());
}
const refresh = (api: CentralApi, refreshToken: string) => api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

const addPerson = (uid: string, cn: string, password: string) => `dn: ${person(uid)}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${cn}
sn: ${cn.slice(0, 1)}
userPassword: ${password}
`;
const addGroup = (cn: string, members: string[]) => `dn: ${group(cn)}
objectClass: groupOfNames
cn: ${cn}
${members.map((uid) => `member: ${person(uid)}`).join('\n')}
`;
const changeMember = (change: 'add' | 'delete', cn: string, uid: string) => `dn: ${group(cn)}
changetype: modify
${change}: member
member: ${person(uid)}
`;

let slapd: Slapd;
beforeAll(async () => {
  if (SLAPD === null) return;
  slapd = await startSlapd();
  await slapd.admin('ldapadd', ORGANISATION_LDIF);
  // A directory person who shares a local account's username, and a T2 group for later moves.
  await slapd.admin('ldapadd', addPerson('agent01', 'Impostor', 'Directory-Agent01-2027'));
  await slapd.admin('ldapadd', addGroup('clm-agents-t2', ['agent01']));
}, 60_000);
afterAll(() => slapd?.stop());

describe.skipIf(SLAPD === null)('LDAP: bind as the person (DN template), groups found by a group search', () => {
  let api: CentralApi;
  beforeAll(async () => {
    // As an operator writes it in the CLM_DIRECTORY_CONFIG file, checked the same way.
    const directory = parseDirectoryConfig(
      { ldap: { url: slapd.url, userDnTemplate: `uid={username},${PEOPLE}`, groupSearch: { baseDn: GROUPS }, groups: GROUP_RULES } },
      {},
    );
    api = await startTestApi({ seedCustomers: 10, directory });
  }, 120_000);
  afterAll(() => api?.close());

  it('signs a directory person in with their directory password, places them by their groups and creates their account', async () => {
    const zhang = await signedIn(api, 'zhangwei');
    expect(zhang.user).toEqual({ id: 'zhangwei', role: 'agent', team: 'T1', displayName: '张伟' });
    const lina = await signedIn(api, 'lina');
    expect(lina.user).toEqual({ id: 'lina', role: 'supervisor', team: 'T1', displayName: '李娜' });
    const rows = await api.db.query<{ id: string; directory_id: string; external_id: string | null }>(
      `SELECT id, directory_id, external_id FROM users WHERE id IN ('zhangwei', 'lina') ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'lina', directory_id: `ldap:${person('lina')}`, external_id: null },
      { id: 'zhangwei', directory_id: `ldap:${person('zhangwei')}`, external_id: null },
    ]);
    // The access token works on the API like any other.
    const sync = await api.app.inject({ method: 'GET', url: '/sync/changes?limit=1', headers: { authorization: `Bearer ${zhang.token}` } });
    expect(sync.statusCode).toBe(200);
  });

  it('offers no company sign-in button: LDAP goes through the username and password form', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/auth/sign-in-options' })).json()).toEqual({ oidc: false });
  });

  it('refuses a wrong directory password and an unknown person with the one login failure answer', async () => {
    expect(expectApiError(await logIn(api, 'zhangwei', 'Not-His-Password-1'), 401).error).toBe('invalid_credentials');
    expect(expectApiError(await logIn(api, 'nobody', 'Whatever-Pass-2027'), 401).error).toBe('invalid_credentials');
    // Filter and DN metacharacters are data, not syntax.
    expect(expectApiError(await logIn(api, 'zhangwei,ou=people', PASSWORDS.zhangwei), 401).error).toBe('invalid_credentials');
  });

  it('a directory password never opens the local account of the same name, and local passwords stay for break-glass', async () => {
    expect(expectApiError(await logIn(api, 'agent01', 'Directory-Agent01-2027'), 401).error).toBe('invalid_credentials');
    expect((await signedIn(api, 'agent01')).user).toMatchObject({ id: 'agent01', role: 'agent', displayName: expect.not.stringContaining('Impostor') });
    expect((await signedIn(api, 'admin01')).user.role).toBe('admin');
    // …and nobody logs in to a directory account with a local password: it has none.
    expect(expectApiError(await logIn(api, 'zhangwei', DEMO_PASSWORD), 401).error).toBe('invalid_credentials');
  });

  it('refuses a person in no mapped group, after checking their password', async () => {
    await slapd.admin('ldapadd', addPerson('zhaolei', '赵磊', 'Zhao-Lei-Pass-2027'));
    expect(expectApiError(await logIn(api, 'zhaolei', 'Zhao-Lei-Pass-2027'), 403).error).toBe('not_permitted');
    expect((await api.db.query(`SELECT 1 FROM users WHERE id = 'zhaolei'`)).length).toBe(0);
  });

  it('a move between groups changes the role and team at the next refresh', async () => {
    const session = await signedIn(api, 'zhangwei');
    await slapd.admin('ldapmodify', `${changeMember('delete', 'clm-agents-t1', 'zhangwei')}\n${changeMember('add', 'clm-agents-t2', 'zhangwei')}`);
    const moved = RefreshResponse.parse((await refresh(api, session.refreshToken)).json());
    expect(moved.user).toEqual({ id: 'zhangwei', role: 'agent', team: 'T2', displayName: '张伟' });
  });

  it('taken out of every mapped group: the next refresh fails and ends the session', async () => {
    const session = await signedIn(api, 'zhangwei');
    const first = await refresh(api, session.refreshToken);
    expect(first.statusCode, first.body).toBe(200);
    await slapd.admin('ldapmodify', changeMember('delete', 'clm-agents-t2', 'zhangwei'));
    const refused = expectApiError(await refresh(api, RefreshResponse.parse(first.json()).refreshToken), 401);
    expect(refused).toMatchObject({ error: 'invalid_refresh_token', message: expect.stringContaining('not in a group that may use CLM') });
    // The access token he still holds lives out its minutes; no refresh of this session works again.
    const [{ live } = { live: -1 }] = await api.db.query<{ live: number }>(
      `SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = 'zhangwei' AND used_at IS NULL AND revoked_at IS NULL
         AND family_id = (SELECT family_id FROM refresh_tokens WHERE user_id = 'zhangwei' ORDER BY created_at DESC LIMIT 1)`,
    );
    expect(live).toBe(0);
    expect(expectApiError(await logIn(api, 'zhangwei'), 403).error).toBe('not_permitted');
  });

  it('deleted from the directory: the next refresh fails, and so does the next login', async () => {
    const session = await signedIn(api, 'lina');
    await slapd.admin('ldapdelete', `${person('lina')}\n`);
    const refused = expectApiError(await refresh(api, session.refreshToken), 401);
    expect(refused.message).toContain('no longer in the directory');
    expect(expectApiError(await logIn(api, 'lina'), 401).error).toBe('invalid_credentials');
    // The account stays (outcomes and audit name it); it just cannot be used.
    expect((await api.db.query(`SELECT 1 FROM users WHERE id = 'lina'`)).length).toBe(1);
  });

  it('an administrator disabling a directory account here stands, whatever the directory says', async () => {
    await slapd.admin('ldapadd', addPerson('wangfang', '王芳', 'Wang-Fang-Pass-2027'));
    await slapd.admin('ldapmodify', changeMember('add', 'clm-agents-t1', 'wangfang'));
    const session = await signedIn(api, 'wangfang', 'Wang-Fang-Pass-2027');
    await api.db.query(`UPDATE users SET disabled_at = now() WHERE id = 'wangfang'`);
    expectApiError(await refresh(api, session.refreshToken), 401);
    expect(expectApiError(await logIn(api, 'wangfang', 'Wang-Fang-Pass-2027'), 403).error).toBe('account_disabled');
  });
});

describe.skipIf(SLAPD === null)('LDAP: search-then-bind with a service account, groups from the memberOf attribute', () => {
  let api: CentralApi;
  beforeAll(async () => {
    await slapd.admin('ldapadd', addPerson('chenjing', '陈静', 'Chen-Jing-Pass-2027'));
    await slapd.admin('ldapmodify', changeMember('add', 'clm-supervisors', 'chenjing'));
    await slapd.admin('ldapadd', addPerson('liuyang', '刘洋', 'Liu-Yang-Pass-2027'));
    await slapd.admin('ldapmodify', changeMember('add', 'clm-agents-t2', 'liuyang'));
    const directory = parseDirectoryConfig(
      {
        ldap: {
          url: slapd.url,
          userSearch: { baseDn: PEOPLE, filter: '(&(objectClass=inetOrgPerson)(uid={username}))' },
          serviceBindDn: SERVICE_DN,
          groupAttribute: 'memberOf',
          groups: GROUP_RULES,
        },
      },
      { CLM_LDAP_BIND_PASSWORD: SERVICE_PASSWORD },
    );
    api = await startTestApi({ seedCustomers: 10, directory });
  }, 120_000);
  afterAll(() => api?.close());

  it('finds the person with the service account, binds as them and reads their groups from memberOf', async () => {
    expect((await signedIn(api, 'chenjing', 'Chen-Jing-Pass-2027')).user).toEqual({ id: 'chenjing', role: 'supervisor', team: 'T1', displayName: '陈静' });
    expect((await signedIn(api, 'liuyang', 'Liu-Yang-Pass-2027')).user).toEqual({ id: 'liuyang', role: 'agent', team: 'T2', displayName: '刘洋' });
    // A filter wildcard matches nobody: it is escaped before it reaches the directory.
    expect(expectApiError(await logIn(api, '*', 'Chen-Jing-Pass-2027'), 401).error).toBe('invalid_credentials');
  });

  it('deleted from the directory: the next refresh (checked with the service account) fails', async () => {
    const session = await signedIn(api, 'liuyang', 'Liu-Yang-Pass-2027');
    await slapd.admin('ldapdelete', `${person('liuyang')}\n`);
    expect(expectApiError(await refresh(api, session.refreshToken), 401).message).toContain('no longer in the directory');
  });

  it('when the directory does not answer, sessions go on, directory logins get 503 and local accounts still log in', async () => {
    const session = await signedIn(api, 'chenjing', 'Chen-Jing-Pass-2027');
    await slapd.stop();
    const kept = await refresh(api, session.refreshToken);
    expect(kept.statusCode, kept.body).toBe(200);
    expect(RefreshResponse.parse(kept.json()).user.role).toBe('supervisor');
    expect(expectApiError(await logIn(api, 'chenjing', 'Chen-Jing-Pass-2027'), 503).error).toBe('directory_unavailable');
    expect((await signedIn(api, 'admin01')).user.role).toBe('admin');
  });
});
