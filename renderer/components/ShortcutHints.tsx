import { useTranslation } from 'react-i18next';
import { SHORTCUT_HINTS } from '../keyboard/shortcuts';

export function ShortcutHints() {
  const { t } = useTranslation();
  return (
    <ul className="shortcut-hints" data-testid="shortcut-hints">
      {SHORTCUT_HINTS.map(([keys, label]) => (
        <li key={label}>
          <kbd>{keys}</kbd> {t(label)}
        </li>
      ))}
    </ul>
  );
}
