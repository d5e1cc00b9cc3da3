// Renders the whole desk the way main.tsx does, but with a fake client and a fresh i18n instance.
import { configure, fireEvent, render, screen } from '@testing-library/react';
import { DeskRoot } from '../../renderer/components/DeskRoot';
import { languageApplier } from '../../renderer/i18n/apply-language';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import type { Language } from '../../renderer/i18n/languages';
import { createDeskStore } from '../../renderer/state/desk-store';
import { unwrapDeskResult } from '../../renderer/transport/desk-result';
import type { DeskFailure } from '../../shared/contract/desk-api';
import { FakeDeskClient } from './fake-desk-client';
import { NOW } from './fixtures';

// findBy and waitFor wait for the store's answers to show. On a loaded two-core machine a first render
// took over a second (a lazy screen's import, React's 300 ms hold of its fallback, a whole report),
// past Testing Library's one-second default: a timing assertion in disguise. The bound only guards
// against a hang; no test relies on a wait running out.
configure({ asyncUtilTimeout: 30_000 });

export function renderDesk(
  client: FakeDeskClient,
  options: { language?: Language; now?: Date; draftSaveDelayMs?: number; complaintUndoMs?: number; leavePage?: (url: string) => void } = {},
) {
  const language = options.language ?? 'zh-CN';
  const i18n = createDeskI18n(language);
  const store = createDeskStore({
    client,
    language,
    applyLanguage: languageApplier(i18n, document, undefined),
    now: () => options.now ?? NOW,
    // Drafts are saved at once unless a test is about the wait.
    draftSaveDelayMs: options.draftSaveDelayMs ?? 0,
    // Likewise a complaint is logged at once unless a test undoes it.
    complaintUndoMs: options.complaintUndoMs ?? 0,
    leavePage: options.leavePage,
  });
  const view = render(<DeskRoot i18n={i18n} store={store} />);
  return { ...view, store, i18n };
}

/**
 * Signs in on a fresh desk whose host refuses the login with `error` (the answer body parsed as both
 * transports parse it) and returns what the login screen says.
 */
export async function loginRefusedWith(language: Language, error: DeskFailure): Promise<string> {
  const refused = () => unwrapDeskResult('session/login', { ok: false, error });
  renderDesk(new FakeDeskClient({ 'session/current': () => null, 'session/login': refused }), { language });
  fireEvent.change(await screen.findByTestId('login-username'), { target: { value: 'agent05' } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'demo1234' } });
  fireEvent.click(screen.getByTestId('login-submit'));
  return (await screen.findByTestId('login-error')).textContent ?? '';
}
