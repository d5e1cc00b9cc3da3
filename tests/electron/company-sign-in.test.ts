// The Electron desk's loopback return refuses anything but the path of the sign-in it started: another
// local page hitting the port with a code (someone else's) neither ends the sign-in nor logs the desk in.
import { describe, expect, it, vi } from 'vitest';
import { createSystemBrowserSignIn } from '../../electron/main/company-sign-in';
import { AGENT_SESSION } from '../renderer/fixtures';

const CODE = 'c'.repeat(43);

/** The Electron host's sign-in with a stand-in system browser; `start` resolves once the browser was sent to the IdP. */
function systemBrowserSignIn() {
  let opened!: (returnTo: string) => void;
  const logIn = vi.fn(async () => ({ ok: true as const, value: AGENT_SESSION }));
  const signIn = createSystemBrowserSignIn({
    apiUrl: 'http://127.0.0.1:9',
    openBrowser: async (url) => opened(new URL(url).searchParams.get('returnTo')!),
    logIn,
  });
  async function start() {
    const returnTo = new Promise<string>((resolve) => (opened = resolve));
    const result = signIn();
    return { result, returnTo: new URL(await returnTo) };
  }
  return { start, logIn };
}

describe('Electron company sign-in: the loopback return', () => {
  it('listens on a random, per-sign-in path', async () => {
    const { start } = systemBrowserSignIn();
    const first = await start();
    const second = await start();
    expect(first.returnTo.pathname).toMatch(/^\/company-sign-in\/[\w-]{43}$/);
    expect(second.returnTo.pathname).not.toBe(first.returnTo.pathname);
    expect(await first.result).toEqual({ ok: false, error: { code: 'forbidden', message: 'a newer company sign-in was started' } });
    await fetch(`${second.returnTo.href}?error=access_denied`);
    await second.result;
  });

  it('refuses a code on any other path and keeps waiting; the sign-in’s own path signs in, once', async () => {
    const { start, logIn } = systemBrowserSignIn();
    const { result, returnTo } = await start();
    const withCode = (path: string) => fetch(`${returnTo.origin}${path}?code=${CODE}&username=agent01`);
    expect((await withCode('/company-sign-in')).status).toBe(404);
    expect((await withCode(`/company-sign-in/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await withCode('/')).status).toBe(404);
    expect(logIn).not.toHaveBeenCalled();

    const back = await withCode(returnTo.pathname);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('已登录 CLM 坐席');
    expect(await result).toMatchObject({ ok: true, value: { kind: 'signedIn', session: { agentId: AGENT_SESSION.agentId } } });
    expect(logIn).toHaveBeenCalledTimes(1);
    expect(logIn).toHaveBeenCalledWith({ username: 'agent01', companySignInCode: CODE });
    // The listener is gone: the same return cannot be used again.
    await expect(withCode(returnTo.pathname)).rejects.toThrow();
  });
});
