// The desk's shortcuts (those of the user's role) in one line at the foot of the desk. Every one is Alt plus a key, so the
// footer names Alt once and lists the keys (the whole combination shows on hover): at 1280 px wide
// all of them fit on one line in both languages.
import { useTranslation } from 'react-i18next';
import { shortcutHintsFor } from '../keyboard/shortcuts';
import { useDesk } from '../state/store-context';

const MODIFIER = 'Alt';
const withoutModifier = (keys: string) => keys.replaceAll(`${MODIFIER}+`, '');

export function ShortcutHints() {
  const { t } = useTranslation();
  const role = useDesk((s) => s.session?.role);
  return (
    <ul className="shortcut-hints" data-testid="shortcut-hints">
      <li className="shortcut-modifier">{t('shortcut.hold', { modifier: MODIFIER })}</li>
      {shortcutHintsFor(role).map(([keys, label]) => (
        <li key={label} data-keys={keys} title={keys}>
          <kbd>{withoutModifier(keys)}</kbd> {t(label)}
        </li>
      ))}
    </ul>
  );
}
