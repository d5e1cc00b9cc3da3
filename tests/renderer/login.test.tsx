// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMPANY_SIGN_IN_RETURN } from '../../shared/contract/desk-api';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});

/** The address a sign-in this tab started comes back to: the return address the tab handed to the start, with the outcome added. */
function returnOf(leftFor: string, outcome: Record<string, string>): string {
  const back = new URL(new URL(leftFor).searchParams.get('returnTo')!);
  for (const [name, value] of Object.entries(outcome)) back.searchParams.set(name, value);
  return `${back.pathname}${back.search}`;
}

function loginClient() {
  return new FakeDeskClient({
    'session/current': () => null,
    'session/login': (input) => {
      if ('password' in input && input.username === 'agent01' && input.password === 'demo1234') return AGENT_SESSION;
      throw new DeskClientError('unauthenticated', 'bad credentials');
    },
    'sync/status': () => SYNC_ONLINE,
  });
}

async function submitLogin(username: string, password: string) {
  fireEvent.change(await screen.findByTestId('login-username'), { target: { value: username } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: password } });
  fireEvent.click(screen.getByTestId('login-submit'));
}

describe('login', () => {
  it('signs in, then shows the desk with agent, role, sync status and the waiting state', async () => {
    const client = loginClient();
    renderDesk(client);
    expect(await screen.findByText(/agent01.*store01.*sup01.*demo1234/)).toBeTruthy();

    await submitLogin(' agent01 ', 'demo1234');

    expect(await screen.findByText('等待来电')).toBeTruthy();
    expect(screen.getByTestId('agent-name').textContent).toContain('王丽');
    expect(screen.getByTestId('agent-name').textContent).toContain('话务员');
    expect(client.callsTo('session/login')).toEqual([{ username: 'agent01', password: 'demo1234' }]);
    await waitFor(() => expect(screen.getByTestId('sync-online').dataset.online).toBe('true'));
    expect(screen.getByTestId('outbox-pending').textContent).toBe('待上传 0');
  });

  it('shows the error and stays on the login form when the credentials are wrong', async () => {
    const client = loginClient();
    renderDesk(client);
    await submitLogin('agent01', 'wrong');
    expect((await screen.findByTestId('login-error')).textContent).toBe('用户名或密码错误');
    expect(screen.queryByTestId('lookup-input')).toBeNull();
  });

  it('explains other failures by their code', async () => {
    const client = new FakeDeskClient({
      'session/current': () => null,
      'session/login': () => {
        throw new DeskClientError('offline', 'connect ECONNREFUSED');
      },
    });
    renderDesk(client);
    await submitLogin('agent01', 'demo1234');
    expect((await screen.findByTestId('login-error')).textContent).toBe('无法连接坐席服务,请稍后重试');
  });

  it('restores an existing session and returns to the login form when the backend ends it, without the revoked-desk notice when no reason is given', async () => {
    const client = new FakeDeskClient({ 'session/current': () => AGENT_SESSION, 'sync/status': () => SYNC_ONLINE });
    renderDesk(client);
    expect(await screen.findByTestId('lookup-input')).toBeTruthy();
    act(() => client.emit({ type: 'session', session: null }));
    expect(await screen.findByTestId('login-username')).toBeTruthy();
    expect(screen.queryByTestId('session-ended')).toBeNull();
  });
});

describe('company sign-in (the operator’s OpenID provider)', () => {
  const offered = (companySignIn: boolean) => ({
    'session/current': () => null,
    'session/signInOptions': () => ({ companySignIn }),
    'sync/status': () => SYNC_ONLINE,
  });

  it('offers the button only when the central API says company sign-in is configured, in both languages', async () => {
    renderDesk(new FakeDeskClient(offered(true)));
    expect((await screen.findByTestId('company-sign-in')).textContent).toBe('企业账号登录');
    cleanup();
    renderDesk(new FakeDeskClient(offered(true)), { language: 'en' });
    expect((await screen.findByTestId('company-sign-in')).textContent).toBe('Company sign-in');
    cleanup();

    const notConfigured = new FakeDeskClient(offered(false));
    renderDesk(notConfigured);
    await waitFor(() => expect(notConfigured.callsTo('session/signInOptions')).toHaveLength(1));
    expect(screen.queryByTestId('company-sign-in')).toBeNull();
    cleanup();

    // A central API that cannot be asked: the password form is there, the button is not.
    const unreachable = new FakeDeskClient({
      'session/current': () => null,
      'session/signInOptions': () => {
        throw new DeskClientError('offline', 'connect ECONNREFUSED');
      },
    });
    renderDesk(unreachable);
    expect(await screen.findByTestId('login-username')).toBeTruthy();
    await waitFor(() => expect(unreachable.callsTo('session/signInOptions')).toHaveLength(1));
    expect(screen.queryByTestId('company-sign-in')).toBeNull();
  });

  it('Electron: the host signs in through the system browser and answers with the session', async () => {
    const client = new FakeDeskClient({ ...offered(true), 'session/companySignIn': () => ({ kind: 'signedIn', session: AGENT_SESSION }) });
    renderDesk(client);
    fireEvent.click(await screen.findByTestId('company-sign-in'));
    expect(await screen.findByText('等待来电')).toBeTruthy();
    expect(screen.getByTestId('agent-name').textContent).toContain('王丽');
  });

  const HOST_START = 'http://127.0.0.1:4310/auth/oidc/start?returnTo=http%3A%2F%2F127.0.0.1%3A4320%2F%3Freturn%3Dcompany-sign-in';

  /** Presses company sign-in in browser mode; resolves with the address the page left for. */
  async function leaveForCompanySignIn(): Promise<string> {
    const leavePage = vi.fn();
    renderDesk(new FakeDeskClient({ ...offered(true), 'session/companySignIn': () => ({ kind: 'navigate', url: HOST_START }) }), { leavePage });
    fireEvent.click(await screen.findByTestId('company-sign-in'));
    await waitFor(() => expect(leavePage).toHaveBeenCalledTimes(1));
    cleanup();
    return leavePage.mock.calls[0]![0] as string;
  }

  it('browser mode: the page leaves for the host’s start address, its return address carrying a fresh check of this tab', async () => {
    const first = new URL(await leaveForCompanySignIn());
    expect(`${first.origin}${first.pathname}`).toBe('http://127.0.0.1:4310/auth/oidc/start');
    const back = new URL(first.searchParams.get('returnTo')!);
    expect(back.origin).toBe('http://127.0.0.1:4320');
    expect(back.searchParams.get('return')).toBe('company-sign-in');
    expect(back.searchParams.get('csrf')).toMatch(/^[0-9a-f]{64}$/);
    const second = new URL(await leaveForCompanySignIn());
    expect(new URL(second.searchParams.get('returnTo')!).searchParams.get('csrf')).not.toBe(back.searchParams.get('csrf'));
  });

  it('browser mode: back from the sign-in this tab started, the desk logs in with the code and takes it out of the address bar', async () => {
    const leftFor = await leaveForCompanySignIn();
    window.history.replaceState(null, '', returnOf(leftFor, { code: 'c'.repeat(43), username: 'agent01' }));
    const client = new FakeDeskClient({ ...offered(true), 'session/login': () => AGENT_SESSION });
    renderDesk(client);
    expect(await screen.findByText('等待来电')).toBeTruthy();
    expect(client.callsTo('session/login')).toEqual([{ username: 'agent01', companySignInCode: 'c'.repeat(43) }]);
    expect(window.location.search).toBe('');
  });

  describe('a return this tab did not start (someone else’s code in a link) is refused without a login call', () => {
    async function expectRefused(address: string, language: 'zh-CN' | 'en', text: string) {
      window.history.replaceState(null, '', address);
      const client = new FakeDeskClient({ ...offered(true), 'session/login': () => AGENT_SESSION });
      renderDesk(client, { language });
      expect((await screen.findByTestId('company-sign-in-error')).textContent).toBe(text);
      expect(client.callsTo('session/login')).toEqual([]);
      expect(window.location.search).toBe('');
      expect(screen.getByTestId('login-username')).toBeTruthy();
    }
    const ZH = '企业账号登录未完成这次登录不是在本页面发起的,已拒绝;如需登录请自己点击企业账号登录';
    const EN = 'Company sign-in did not finishThis sign-in was not started on this page and was refused: to sign in, press Company sign-in yourself';

    it('a link with a code and no check, in a tab that started nothing', async () => {
      await expectRefused(`${COMPANY_SIGN_IN_RETURN}&code=${'c'.repeat(43)}&username=agent01`, 'zh-CN', ZH);
    });

    it('a link with another tab’s check, in a tab that started a sign-in of its own', async () => {
      const leftFor = await leaveForCompanySignIn();
      const foreign = returnOf(HOST_START, { csrf: 'f'.repeat(64), code: 'c'.repeat(43), username: 'agent01' });
      expect(foreign).not.toBe(returnOf(leftFor, { code: 'c'.repeat(43), username: 'agent01' }));
      await expectRefused(foreign, 'en', EN);
    });

    it('the right check a second time: it is single-use', async () => {
      const back = returnOf(await leaveForCompanySignIn(), { code: 'c'.repeat(43), username: 'agent01' });
      window.history.replaceState(null, '', back);
      const client = new FakeDeskClient({ ...offered(true), 'session/login': () => AGENT_SESSION });
      renderDesk(client);
      expect(await screen.findByText('等待来电')).toBeTruthy();
      cleanup();
      await expectRefused(back, 'zh-CN', ZH);
    });
  });

  it('browser mode: back with the IdP’s or the server’s refusal, the login screen says so and keeps both ways in', async () => {
    const reason = 'Your directory account is not in a group that may use CLM; ask your administrator';
    window.history.replaceState(null, '', returnOf(await leaveForCompanySignIn(), { error: 'not_permitted', error_description: reason }));
    const client = new FakeDeskClient(offered(true));
    renderDesk(client);
    const error = await screen.findByTestId('company-sign-in-error');
    expect(error.textContent).toBe('企业账号登录未完成你的企业账号没有使用本系统的权限,请联系管理员开通');
    expect(error.title).toBe(reason);
    expect(client.callsTo('session/login')).toEqual([]);
    expect(window.location.search).toBe('');
    expect(screen.getByTestId('login-username')).toBeTruthy();
    expect(await screen.findByTestId('company-sign-in')).toBeTruthy();
  });

  it('a code the desk refuses (spent, stale, another user) leaves the login screen with the reason', async () => {
    window.history.replaceState(null, '', returnOf(await leaveForCompanySignIn(), { code: 'd'.repeat(43), username: 'agent01' }));
    const client = new FakeDeskClient({
      ...offered(true),
      'session/login': () => {
        throw new DeskClientError('bad_request', 'This sign-in code is unknown, already used or expired; sign in again');
      },
    });
    renderDesk(client, { language: 'en' });
    expect((await screen.findByTestId('company-sign-in-error')).textContent).toBe(
      'Company sign-in did not finishThe sign-in code is unknown, already used or expired: press Company sign-in again',
    );
    expect(screen.queryByTestId('login-error')).toBeNull();
  });
});
