import { useTranslation } from 'react-i18next';
import { useDesk, useDeskActions } from '../state/store-context';
import { LanguageSwitch } from './LanguageSwitch';
import { SyncStatusIndicator } from './SyncStatusIndicator';

export function DeskHeader() {
  const { t } = useTranslation();
  const session = useDesk((s) => s.session);
  const { logout } = useDeskActions();
  return (
    <header className="desk-header">
      <span className="brand">{t('app.title')}</span>
      {session !== null && (
        <span className="agent" data-testid="agent-name">
          <strong>{session.displayName}</strong>
          <span className="role">{t(`role.${session.role}`)}</span>
        </span>
      )}
      <span className="spacer" />
      <SyncStatusIndicator />
      <LanguageSwitch />
      <button type="button" className="link" onClick={() => void logout()}>
        {t('header.logout')}
      </button>
    </header>
  );
}
