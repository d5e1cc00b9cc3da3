// Everything that follows the interface language outside React state.
import type { i18n } from 'i18next';
import type { Language } from './languages';
import { saveLanguagePreference } from './language-preference';

export function languageApplier(instance: i18n, doc: Document, storage: Storage | undefined) {
  return (language: Language) => {
    void instance.changeLanguage(language);
    doc.documentElement.lang = language;
    saveLanguagePreference(storage, language);
  };
}
