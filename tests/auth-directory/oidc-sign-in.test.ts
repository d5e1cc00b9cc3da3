// Sign-in with the operator's OpenID provider: authorization code flow with PKCE against a real
// OpenID provider (oidc-provider) run by this file. A small browser follows the redirects — the
// API's through Fastify inject, the IdP's over HTTP with its cookies — and fills in the IdP's
// login form; the desk's loopback return address is where it stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginWithRefreshResponse, RefreshResponse } from '../../shared/contract/auth-refresh';
import type { CentralApi } from '../../server/app';
import { parseDirectoryConfig } from '../../server/auth/directory/directory-config';
import { createIdpTokenCipher } from '../../server/auth/directory/idp-token-cipher';
import { expectApiError, startTestApi } from '../server/support/test-api';
import { TEST_TOKEN_KEY } from './support/token-keys';
import { oidcConfigFor, oidcSecretsFor, startOperatorIdp, type IdpPerson, type OperatorIdp } from './support/operator-idp';

const API_ORIGIN = 'https://clm-api.operator.test';
const REDIRECT_URI = `${API_ORIGIN}/auth/oidc/callback`;
const DESK_RETURN = 'http://127.0.0.1:51234/signed-in';

const PEOPLE: Record<string, IdpPerson> = {
  sunli: { name: '孙丽', groups: ['CLM-Supervisors', 'all-staff'] },
  zhoujie: { name: '周杰', groups: ['clm-agents-t2'] },
  guest: { name: 'Guest', groups: ['all-staff'] },
  agent01: { name: 'Not the local agent01', groups: ['clm-agents-t2'] },
};

let idp: OperatorIdp;
let api: CentralApi;

beforeAll(async () => {
  idp = await startOperatorIdp(PEOPLE, REDIRECT_URI);
  const directory = parseDirectoryConfig(
    oidcConfigFor(idp, REDIRECT_URI, [
      { group: 'clm-supervisors', role: 'supervisor', team: 'S1' },
      { group: 'clm-agents-t2', role: 'agent', team: 'T2' },
    ]),
    oidcSecretsFor(idp),
  );
  api = await startTestApi({ seedCustomers: 10, directory });
}, 120_000);
afterAll(async () => {
  await api?.close();
  await idp?.stop();
});

/** A browser: follows redirects until the desk's return address, signing in at the IdP's login form as `login`. */
async function browse(start: string, login: string): Promise<{ finalUrl: URL; visited: URL[] }> {
  const cookies = new Map<string, string>();
  const visited: URL[] = [];
  let url = new URL(start, API_ORIGIN);
  let form: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    visited.push(url);
    if (url.href.startsWith(DESK_RETURN)) return { finalUrl: url, visited };
    let status: number;
    let location: string | undefined;
    let body: string;
    if (url.origin === API_ORIGIN) {
      const response = await api.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      status = response.statusCode;
      location = response.headers.location as string | undefined;
      body = response.body;
    } else {
      const response = await fetch(url, {
        method: form === undefined ? 'GET' : 'POST',
        redirect: 'manual',
        headers: {
          cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(form === undefined ? {} : { body: form }),
      });
      form = undefined;
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair] = setCookie.split(';');
        const [name, value] = pair!.split('=') as [string, string];
        cookies.set(name.trim(), value);
      }
      status = response.status;
      location = response.headers.get('location') ?? undefined;
      body = await response.text();
    }
    if (status >= 300 && status < 400 && location !== undefined) {
      url = new URL(location, url);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(body)?.[1];
    if (status === 200 && action !== undefined && body.includes('name="login"')) {
      form = new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString();
      url = new URL(action, url);
      continue;
    }
    throw new Error(`the browser stopped at ${url.href}: ${status} ${body.slice(0, 300)}`);
  }
  throw new Error('too many redirects');
}

const startUrl = (returnTo = DESK_RETURN) => `/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;
const redeem = (code: string) => api.app.inject({ method: 'POST', url: '/auth/oidc/token', payload: { code } });

describe('OpenID Connect sign-in (authorization code + PKCE) with the operator IdP', () => {
  it('signs a person in at the IdP, places them by the groups claim, creates their account and issues our tokens', async () => {
    const { finalUrl, visited } = await browse(startUrl(), 'sunli');
    // The IdP was asked with PKCE (S256), a state and a nonce.
    const authorize = visited.find((url) => url.origin === idp.issuer && url.searchParams.has('code_challenge'))!;
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);

    const code = finalUrl.searchParams.get('code');
    expect(code, finalUrl.href).toBeTruthy();
    // Who signed in comes along, so a host with one desk per user knows whose desk to open.
    expect(finalUrl.searchParams.get('username')).toBe('sunli');
    const response = await redeem(code!);
    expect(response.statusCode, response.body).toBe(200);
    const session = LoginWithRefreshResponse.parse(response.json());
    expect(session.user).toEqual({ id: 'sunli', role: 'supervisor', team: 'S1', displayName: '孙丽' });
    const [row] = await api.db.query<{ directory_id: string }>(`SELECT directory_id FROM users WHERE id = 'sunli'`);
    expect(row?.directory_id).toBe(`oidc:${idp.issuer}#sunli`);

    // Our tokens work like a password login's: the API accepts the access token, the refresh token renews it.
    expect((await api.app.inject({ method: 'GET', url: '/outcomes?limit=1', headers: { authorization: `Bearer ${session.token}` } })).statusCode).toBe(200);
    const refreshed = await api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refreshed.statusCode, refreshed.body).toBe(200);

    // The hand-off code works once.
    expect(expectApiError(await redeem(code!), 400).error).toBe('invalid_grant');
  });

  it('a second sign-in updates the account from the groups claim', async () => {
    const { finalUrl } = await browse(startUrl(), 'zhoujie');
    expect(LoginWithRefreshResponse.parse((await redeem(finalUrl.searchParams.get('code')!)).json()).user).toEqual({
      id: 'zhoujie',
      role: 'agent',
      team: 'T2',
      displayName: '周杰',
    });
    PEOPLE.zhoujie!.groups = ['clm-supervisors'];
    const again = await browse(startUrl(), 'zhoujie');
    expect(LoginWithRefreshResponse.parse((await redeem(again.finalUrl.searchParams.get('code')!)).json()).user.role).toBe('supervisor');
  });

  it('a person in no mapped group comes back to the desk with not_permitted, and no account is made', async () => {
    const { finalUrl } = await browse(startUrl(), 'guest');
    expect(finalUrl.searchParams.get('code')).toBeNull();
    expect(finalUrl.searchParams.get('error')).toBe('not_permitted');
    expect(finalUrl.searchParams.get('error_description')).toContain('not in a group');
    expect((await api.db.query(`SELECT 1 FROM users WHERE id = 'guest'`)).length).toBe(0);
  });

  it('never takes over the local account of the same username', async () => {
    const { finalUrl } = await browse(startUrl(), 'agent01');
    expect(finalUrl.searchParams.get('error')).toBe('username_taken');
    const [row] = await api.db.query<{ directory_id: string | null; display_name: string }>(
      `SELECT directory_id, display_name FROM users WHERE id = 'agent01'`,
    );
    expect(row?.directory_id).toBeNull();
  });

  it('refuses a replayed or forged answer at the callback', async () => {
    const { visited } = await browse(startUrl(), 'sunli');
    const callback = visited.find((url) => url.pathname === '/auth/oidc/callback')!;
    const replay = await api.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
    expect(expectApiError(replay, 400).error).toBe('invalid_sign_in');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'a-state-this-server-never-issued');
    expect(expectApiError(await api.app.inject({ method: 'GET', url: `${forged.pathname}${forged.search}` }), 400).error).toBe('invalid_sign_in');
  });

  it('sends the browser back only to a loopback address or a configured one', async () => {
    expect(expectApiError(await api.app.inject({ method: 'GET', url: startUrl('https://evil.example/steal') }), 400).error).toBe('invalid_return_to');
    expect(expectApiError(await api.app.inject({ method: 'GET', url: startUrl('http://10.0.0.5:8080/x') }), 400).error).toBe('invalid_return_to');
    expect((await api.app.inject({ method: 'GET', url: startUrl('http://localhost:40000/cb') })).statusCode).toBe(302);
  });

  it('each refresh asks the IdP again: a group change moves the person, and once the IdP drops them the session ends', async () => {
    PEOPLE.wuhao = { name: '吴昊', groups: ['clm-agents-t2'] };
    const { finalUrl } = await browse(startUrl(), 'wuhao');
    const session = LoginWithRefreshResponse.parse((await redeem(finalUrl.searchParams.get('code')!)).json());
    expect((await api.db.query('SELECT 1 FROM oidc_sessions')).length).toBeGreaterThan(0);
    // The IdP's refresh token is stored sealed (CLM_TOKEN_KEY), never as the token itself.
    const [stored] = await api.db.query<{ idp_refresh_token: string; idp_refresh_token_key_id: string }>(
      'SELECT idp_refresh_token, idp_refresh_token_key_id FROM oidc_sessions ORDER BY updated_at DESC LIMIT 1',
    );
    const idpToken = createIdpTokenCipher(TEST_TOKEN_KEY).open({ keyId: stored!.idp_refresh_token_key_id, sealed: stored!.idp_refresh_token });
    expect(stored!.idp_refresh_token_key_id).toBe('k1');
    expect(stored!.idp_refresh_token).not.toContain(idpToken);
    const refresh = (refreshToken: string) => api.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

    const same = await refresh(session.refreshToken);
    expect(same.statusCode, same.body).toBe(200);
    expect(RefreshResponse.parse(same.json()).user).toMatchObject({ role: 'agent', team: 'T2' });

    PEOPLE.wuhao.groups = ['clm-supervisors'];
    const moved = await refresh(RefreshResponse.parse(same.json()).refreshToken);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(RefreshResponse.parse(moved.json()).user).toMatchObject({ role: 'supervisor', team: 'S1' });

    delete PEOPLE.wuhao;
    const refused = expectApiError(await refresh(RefreshResponse.parse(moved.json()).refreshToken), 401);
    expect(refused).toMatchObject({ error: 'invalid_refresh_token', message: expect.stringContaining('no longer allows this session') });
  });

  it('tells the login screen that company sign-in is offered', async () => {
    const answer = await api.app.inject({ method: 'GET', url: '/auth/sign-in-options' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ oidc: true });
  });

  it('refuses a hand-off code it never gave out', async () => {
    expect(expectApiError(await redeem('x'.repeat(43)), 400).error).toBe('invalid_grant');
  });
});
