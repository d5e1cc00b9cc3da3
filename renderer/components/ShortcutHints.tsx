import { useTranslation } from 'react-i18next';

export function ShortcutHints() {
  const { t } = useTranslation();
  return (
    <ul className="shortcut-hints">
      {(['outcome', 'save', 'lookup', 'objections'] as const).map((key) => (
        <li key={key}>{t(`shortcut.${key}`)}</li>
      ))}
    </ul>
  );
}
