// Renders the whole desk the way main.tsx does, but with a fake client and a fresh i18n instance.
import { render } from '@testing-library/react';
import { DeskRoot } from '../../renderer/components/DeskRoot';
import { languageApplier } from '../../renderer/i18n/apply-language';
import { createDeskI18n } from '../../renderer/i18n/create-i18n';
import type { Language } from '../../renderer/i18n/languages';
import { createDeskStore } from '../../renderer/state/desk-store';
import type { FakeDeskClient } from './fake-desk-client';
import { NOW } from './fixtures';

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
