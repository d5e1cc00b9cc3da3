// The desk's company sign-in against a real OpenID provider (oidc-provider) and the central API over
// HTTP: the Electron host's system-browser flow with its loopback return (electron/main/company-sign-in.ts),
// the desk backend logging in with the hand-off code, and the browser-mode host's answers
// (web-host/company-sign-in.ts). A small browser stands in for the system browser: it follows the
// redirects with its cookies and fills in the IdP's login form.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralApi } from '../../server/app';
import { parseDirectoryConfig } from '../../server/auth/directory/directory-config';
import { createDeskBackend, type DeskBackend } from '../../desk-backend/desk-backend';
import { createSystemBrowserSignIn } from '../../electron/main/company-sign-in';
import { createCompanySignInHost } from '../../web-host/company-sign-in';
import { startTestApi } from '../server/support/test-api';
import { freeLoopbackPorts, oidcConfigFor, oidcSecretsFor, startOperatorIdp, type IdpPerson, type OperatorIdp } from './support/operator-idp';

const PEOPLE: Record<string, IdpPerson> = {
  sunli: { name: '孙丽', groups: ['clm-supervisors'] },
  zhoujie: { name: '周杰', groups: ['clm-agents-t2'] },
  guest: { name: 'Guest', groups: ['all-staff'] },
};

let idp: OperatorIdp;
let api: CentralApi;
let apiUrl: string;
let backend: DeskBackend;
let cacheDir: string;

beforeAll(async () => {
  const [port] = (await freeLoopbackPorts(1)) as [number];
  apiUrl = `http://127.0.0.1:${port}`;
  idp = await startOperatorIdp(PEOPLE, `${apiUrl}/auth/oidc/callback`);
  const directory = parseDirectoryConfig(
    oidcConfigFor(idp, `${apiUrl}/auth/oidc/callback`, [
      { group: 'clm-supervisors', role: 'supervisor', team: 'S1' },
      { group: 'clm-agents-t2', role: 'agent', team: 'T2' },
    ]),
    oidcSecretsFor(idp),
  );
  api = await startTestApi({ seedCustomers: 10, directory });
  await api.app.listen({ port, host: '127.0.0.1' });
  cacheDir = mkdtempSync(path.join(tmpdir(), 'clm-company-sign-in-'));
  backend = createDeskBackend({ cachePath: path.join(cacheDir, 'desk-cache.sqlite'), apiUrl, logger: { warn: () => undefined } });
}, 120_000);
afterAll(async () => {
  await backend?.close();
  await api?.close();
  await idp?.stop();
  if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
});

/** A browser: follows redirects (with cookies) and signs in at the IdP's form as `login`, until an address starting with `stopAt`. */
async function browse(start: string, login: string, stopAt: string, options: { open: boolean } = { open: true }): Promise<{ url: URL; page: string }> {
  const cookies = new Map<string, string>();
  let url = new URL(start);
  let form: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(stopAt) && !options.open) return { url, page: '' };
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
      const [name, value] = setCookie.split(';')[0]!.split('=') as [string, string];
      cookies.set(name.trim(), value);
    }
    const body = await response.text();
    if (url.href.startsWith(stopAt)) return { url, page: body };
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      url = new URL(location, url);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(body)?.[1];
    if (response.status === 200 && action !== undefined && body.includes('name="login"')) {
      form = new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString();
      url = new URL(action, url);
      continue;
    }
    throw new Error(`the browser stopped at ${url.href}: ${response.status} ${body.slice(0, 300)}`);
  }
  throw new Error('too many redirects');
}

/** The Electron host's sign-in, with this file's browser in place of the system browser. */
function electronSignIn(login: string) {
  let browsing: Promise<{ url: URL; page: string }> | undefined;
  const signIn = createSystemBrowserSignIn({
    apiUrl,
    openBrowser: async (url) => {
      const start = new URL(url);
      expect(`${start.origin}${start.pathname}`).toBe(`${apiUrl}/auth/oidc/start`);
      const returnTo = start.searchParams.get('returnTo')!;
      // The loopback path carries this sign-in's random, single-use segment (login CSRF).
      expect(returnTo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/company-sign-in\/[\w-]{43}$/);
      // Like shell.openExternal: the browser goes its way, the desk waits for it to come back.
      browsing = browse(url, login, returnTo);
    },
    logIn: (input) => backend.invoke('session/login', input),
  });
  return { run: signIn, page: () => browsing!.then(({ page }) => page) };
}

describe('company sign-in from the Electron desk (system browser, loopback return)', () => {
  it('signs in at the IdP in the browser, and the desk logs in with the code it brought back', async () => {
    const signIn = electronSignIn('sunli');
    const result = await signIn.run();
    expect(result).toMatchObject({ ok: true, value: { kind: 'signedIn', session: { agentId: 'sunli', role: 'supervisor', team: 'S1', displayName: '孙丽' } } });
    expect(await signIn.page()).toContain('已登录 CLM 坐席');
    expect(await backend.invoke('session/current', {})).toMatchObject({ ok: true, value: { agentId: 'sunli' } });
    expect(await backend.invoke('session/logout', {})).toEqual({ ok: true, value: { ok: true } });
  });

  it('a person the directory does not allow comes back with the reason, and the desk stays signed out', async () => {
    const signIn = electronSignIn('guest');
    const result = await signIn.run();
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not in a group that may use CLM') } });
    expect(await signIn.page()).toContain('企业账号登录未完成');
    expect(await backend.invoke('session/current', {})).toEqual({ ok: true, value: null });
  });

  it('the desk refuses a code that signs in someone other than the username it came with', async () => {
    const { url } = await browse(`${apiUrl}/auth/oidc/start?returnTo=${encodeURIComponent('http://127.0.0.1:9/back')}`, 'zhoujie', 'http://127.0.0.1:9/back', {
      open: false,
    });
    expect(url.searchParams.get('username')).toBe('zhoujie');
    const refused = await backend.invoke('session/login', { username: 'sunli', companySignInCode: url.searchParams.get('code')! });
    expect(refused).toEqual({ ok: false, error: { code: 'unauthenticated', message: expect.stringContaining('for zhoujie, not sunli') } });
    expect(await backend.invoke('session/current', {})).toEqual({ ok: true, value: null });
  });

  it('the desk backend alone cannot start company sign-in: its host opens the browser', async () => {
    expect(await backend.invoke('session/companySignIn', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await backend.invoke('session/signInOptions', {})).toEqual({ ok: true, value: { companySignIn: true } });
  });
});

describe('company sign-in from the browser-mode host', () => {
  const host = () => createCompanySignInHost({ apiUrl });

  it('says company sign-in is offered, and sends the page to the central API with a way back to itself', async () => {
    expect(await host().answer('session/signInOptions', 'http://127.0.0.1:4320')).toEqual({ status: 200, body: { ok: true, value: { companySignIn: true } } });
    const started = await host().answer('session/companySignIn', 'http://localhost:4320');
    expect(started).toMatchObject({ status: 200, body: { ok: true, value: { kind: 'navigate' } } });
    const { url } = await browse((started!.body as { value: { url: string } }).value.url, 'zhoujie', 'http://localhost:4320/', { open: false });
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('return')).toBe('company-sign-in');
    expect(url.searchParams.get('username')).toBe('zhoujie');
    expect(url.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });

  it('leaves every other operation to the desks', async () => {
    expect(await host().answer('session/login', 'http://127.0.0.1:4320')).toBeNull();
  });

  it('a central API that does not answer is offline, not a crash', async () => {
    const unreachable = createCompanySignInHost({ apiUrl: 'http://127.0.0.1:9' });
    expect(await unreachable.answer('session/signInOptions', 'http://127.0.0.1:4320')).toMatchObject({
      status: 503,
      body: { ok: false, error: { code: 'offline' } },
    });
  });
});
