// @vitest-environment jsdom
// The browser-mode host serves at most --max-desks users at once. A login past that is refused with
// too_many_desks and the limit; the login screen says so in words an agent can act on, in both
// languages, instead of the generic "local cache unavailable".
import { cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Language } from '../../renderer/i18n/languages';
import { loginRefusedWith } from './render-desk';

afterEach(cleanup);

/** The web host's refusal of a login past its --max-desks. */
const loginRefused = (language: Language, deskLimit: number) =>
  loginRefusedWith(language, { code: 'too_many_desks', message: `this desk host already serves ${deskLimit} signed-in users`, deskLimit });

describe('login refused because the computer serves as many desks as it may', () => {
  it('tells the agent in Chinese how many are signed in and what to do', async () => {
    expect(await loginRefused('zh-CN', 8)).toBe('这台电脑已有 8 人登录,达到设定的上限。请已下班的同事退出登录,或联系 IT 调高上限。');
  });

  it('tells the agent in English, with the right number', async () => {
    expect(await loginRefused('en', 8)).toBe(
      'This computer already has 8 people signed in, the most it is set up for. Ask a colleague who has finished to sign out, or ask IT to allow more.',
    );
    cleanup();
    expect(await loginRefused('en', 1)).toContain('already has 1 person signed in');
  });
});
