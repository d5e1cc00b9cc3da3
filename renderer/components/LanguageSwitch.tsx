import { useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGES } from '../i18n/languages';
import { useDesk, useDeskActions } from '../state/store-context';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useDesk((s) => s.language);
  const { setLanguage } = useDeskActions();
  return (
    <select
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      title={t('lang.label')}
      value={language}
      onChange={(e) => {
        if (isLanguage(e.target.value)) setLanguage(e.target.value);
      }}
    >
      {LANGUAGES.map((lang) => (
        <option key={lang} value={lang}>
          {t(`lang.${lang}`)}
        </option>
      ))}
    </select>
  );
}
