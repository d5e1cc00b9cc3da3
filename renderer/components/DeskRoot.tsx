// The providers around the app: one i18next instance and one desk store.
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { DeskStoreProvider } from '../state/store-context';
import type { DeskStore } from '../state/desk-store';
import { App } from './App';

export function DeskRoot({ i18n, store }: { i18n: i18n; store: DeskStore }) {
  return (
    <I18nextProvider i18n={i18n}>
      <DeskStoreProvider store={store}>
        <App />
      </DeskStoreProvider>
    </I18nextProvider>
  );
}
