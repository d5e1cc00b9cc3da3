import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isMobileNumber } from '../../shared/domain/phone';
import { LOOKUP_SHORTCUT } from '../keyboard/shortcuts';
import { FOCUS_TARGET } from '../keyboard/use-desk-shortcuts';
import { useDesk, useDeskActions } from '../state/store-context';

/** Manual lookup: an agent checking a number the caller gives. Only a mobile number is looked up. */
export function LookupBox() {
  const { t } = useTranslation();
  const { lookup } = useDeskActions();
  const loading = useDesk((s) => s.lookup.status === 'loading');
  const [phone, setPhone] = useState('');
  const [refused, setRefused] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The desk backend refuses it too; saying so here keeps the typed number and the card on screen.
    if (!isMobileNumber(phone)) {
      setRefused(true);
      return;
    }
    void lookup(phone);
  };

  return (
    <form className="lookup" role="search" onSubmit={submit}>
      <label htmlFor={FOCUS_TARGET.lookup}>{t('lookup.label')}</label>
      <input
        id={FOCUS_TARGET.lookup}
        data-testid="lookup-input"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        maxLength={32}
        placeholder={t('lookup.placeholder')}
        title={LOOKUP_SHORTCUT}
        value={phone}
        aria-invalid={refused}
        aria-describedby={refused ? 'lookup-refused' : undefined}
        onChange={(e) => {
          setPhone(e.target.value);
          setRefused(false);
        }}
      />
      <button data-testid="lookup-submit" type="submit" disabled={loading || phone.trim() === ''}>
        {t('lookup.submit')}
      </button>
      {refused && (
        <p id="lookup-refused" className="error-text" role="alert" data-testid="lookup-refused">
          {t('lookup.notMobile')}
        </p>
      )}
    </form>
  );
}
