// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

function loginClient() {
  return new FakeDeskClient({
    'session/current': () => null,
    'session/login': ({ username, password }) => {
      if (username === 'agent01' && password === 'demo1234') return AGENT_SESSION;
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
