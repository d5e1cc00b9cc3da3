import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskScreen } from '../screens/DeskScreen';
import { LoginScreen } from '../screens/LoginScreen';
import { useDesk, useDeskActions } from '../state/store-context';

export function App() {
  const { t } = useTranslation();
  const { start } = useDeskActions();
  const sessionChecked = useDesk((s) => s.sessionChecked);
  const signedIn = useDesk((s) => s.session !== null);

  useEffect(() => start(), [start]);

  if (!sessionChecked) return <div className="boot">{t('app.title')}</div>;
  return signedIn ? <DeskScreen /> : <LoginScreen />;
}
