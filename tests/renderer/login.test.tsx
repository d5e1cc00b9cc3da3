// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMPANY_SIGN_IN_RETURN } from '../../shared/contract/desk-api';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

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

  it('restores an existing session and returns to the login form when the backend ends it', async () => {
    const client = new FakeDeskClient({ 'session/current': () => AGENT_SESSION, 'sync/status': () => SYNC_ONLINE });
    renderDesk(client);
    expect(await screen.findByTestId('lookup-input')).toBeTruthy();
    act(() => client.emit({ type: 'session', session: null }));
    expect(await screen.findByTestId('login-username')).toBeTruthy();
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

  it('browser mode: the page leaves for the address the host gives', async () => {
    const leavePage = vi.fn();
    const url = 'http://127.0.0.1:4310/auth/oidc/start?returnTo=http%3A%2F%2F127.0.0.1%3A4320%2F%3Freturn%3Dcompany-sign-in';
    renderDesk(new FakeDeskClient({ ...offered(true), 'session/companySignIn': () => ({ kind: 'navigate', url }) }), { leavePage });
    fireEvent.click(await screen.findByTestId('company-sign-in'));
    await waitFor(() => expect(leavePage).toHaveBeenCalledWith(url));
  });

  it('browser mode: back with a code, the desk logs in with it and takes it out of the address bar', async () => {
    window.history.replaceState(null, '', `${COMPANY_SIGN_IN_RETURN}&code=${'c'.repeat(43)}&username=agent01`);
    const client = new FakeDeskClient({ ...offered(true), 'session/login': () => AGENT_SESSION });
    renderDesk(client);
    expect(await screen.findByText('等待来电')).toBeTruthy();
    expect(client.callsTo('session/login')).toEqual([{ username: 'agent01', companySignInCode: 'c'.repeat(43) }]);
    expect(window.location.search).toBe('');
  });

  it('browser mode: back with the IdP’s or the server’s refusal, the login screen says so and keeps both ways in', async () => {
    const reason = 'Your directory account is not in a group that may use CLM; ask your administrator';
    window.history.replaceState(null, '', `${COMPANY_SIGN_IN_RETURN}&error=not_permitted&error_description=${encodeURIComponent(reason)}`);
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
    window.history.replaceState(null, '', `${COMPANY_SIGN_IN_RETURN}&code=${'d'.repeat(43)}&username=agent01`);
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
