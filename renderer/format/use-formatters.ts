import { useCallback, useContext, useSyncExternalStore } from 'react';
import { getI18n, I18nContext } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../i18n/languages';
import { createFormatters, type Formatters } from './formatters';

/**
 * The interface language as i18next currently has it. Read from the provider's instance rather
 * than useTranslation, which copies the whole i18n instance for every component that mounts
 * (milliseconds on each ring for a card of formatted figures).
 */
export function useLanguage(): Language {
  // Without a provider, useTranslation falls back to the instance initReactI18next registered; so does this.
  const i18n = (useContext(I18nContext) as { i18n?: ReturnType<typeof getI18n> } | undefined)?.i18n ?? getI18n();
  const subscribe = useCallback(
    (changed: () => void) => {
      i18n?.on('languageChanged', changed);
      return () => i18n?.off('languageChanged', changed);
    },
    [i18n],
  );
  const language = useSyncExternalStore(subscribe, () => i18n?.language);
  return language !== undefined && isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

// One set per language for the whole page: building Intl formatters costs about a millisecond
// per set, and the card mounts a dozen components that format, on every ring.
const formattersByLanguage = new Map<Language, Formatters>();

export function useFormatters(): Formatters {
  const language = useLanguage();
  let formatters = formattersByLanguage.get(language);
  if (formatters === undefined) {
    formatters = createFormatters(language);
    formattersByLanguage.set(language, formatters);
  }
  return formatters;
}
