// @vitest-environment jsdom
// When an administrator revokes the desk, the backend ends the session under the agent: the screen it
// falls back to says why at once (not only when the next sign-in is refused), in the desk's language,
// and what becomes of the work not sent yet.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnsentDecision } from '../../shared/contract/desks';
import type { Language } from '../../renderer/i18n/languages';
import { DeskClientError } from '../../renderer/transport/desk-client';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

async function revokedUnder(language: Language, unsent: UnsentDecision) {
  const client = new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'session/login': () => {
      throw new DeskClientError('desk_revoked', 'This desk was revoked by an administrator');
    },
  });
  renderDesk(client, { language });
  expect(await screen.findByTestId('lookup-input')).toBeTruthy();
  act(() => client.emit({ type: 'session', session: null, ended: { reason: 'desk_revoked', unsent } }));
  return (await screen.findByTestId('session-ended')).textContent;
}

describe('the session ended by a revocation', () => {
  it('says why on the screen the agent is left on, in Chinese and in English, with what becomes of unsent work', async () => {
    expect(await revokedUnder('zh-CN', 'hold')).toMatch(/^你的会话已被结束管理员已停用这台电脑上的坐席.*尚未上传的工作记录保留在本机/);
    cleanup();
    expect(await revokedUnder('en', 'discard')).toMatch(/^Your session was endedAn administrator has revoked the desk.*Work not yet sent is erased too/);
    expect(screen.getByTestId('login-username')).toBeTruthy();
  });

  it('gives way to the refusal itself when someone tries to sign in on the revoked desk', async () => {
    await revokedUnder('en', 'hold');
    fireEvent.change(screen.getByTestId('login-username'), { target: { value: 'agent01' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'demo1234' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toMatch(/revoked the desk on this computer/);
    expect(screen.queryByTestId('session-ended')).toBeNull();
  });
});
