// One i18next instance per app (and per test), with both locales bundled: the desk runs offline.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages';

export const LOCALE_RESOURCES = { 'zh-CN': zhCN, en } as const satisfies Record<Language, object>;

export function createDeskI18n(language: Language = DEFAULT_LANGUAGE): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: LOCALE_RESOURCES['zh-CN'] },
      en: { translation: LOCALE_RESOURCES.en },
    },
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    // Resources are bundled, so init completes synchronously and t() works immediately.
    initAsync: false,
    // React escapes rendered text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
