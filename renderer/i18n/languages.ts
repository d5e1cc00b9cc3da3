// The interface languages: Chinese first, English second.
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Offer names and scripts arrive in both languages as { zh, en }. */
export function contentLanguage(language: Language): 'zh' | 'en' {
  return language === 'en' ? 'en' : 'zh';
}
