// Renderer entry: picks the transport, restores the language, mounts the desk.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { DeskRoot } from './components/DeskRoot';
import { languageApplier } from './i18n/apply-language';
import { createDeskI18n } from './i18n/create-i18n';
import { loadLanguagePreference } from './i18n/language-preference';
import { createDeskStore } from './state/desk-store';
import { chooseDeskClient } from './transport/choose-client';
import './styles/desk.css';

// script-src 'self' forbids eval: tell zod not to compile validators (or even probe whether it may).
z.config({ jitless: true });

const storage = window.localStorage;
const language = loadLanguagePreference(storage);
const i18n = createDeskI18n(language);
document.documentElement.lang = language;

const store = createDeskStore({
  client: chooseDeskClient(window),
  language,
  applyLanguage: languageApplier(i18n, document, storage),
});

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <DeskRoot i18n={i18n} store={store} />
  </StrictMode>,
);
