// The store counter's identity check: the masked ID number with "Check ID card"; the clerk confirms
// they compared the ID card with the person at the counter, and the whole number shows on this card.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskFailure } from '../../shared/contract/desk-api';
import { useDesk, useDeskActions } from '../state/store-context';

export function IdNumberCheck({ customerId, masked }: { customerId: string; masked: string }) {
  const { t } = useTranslation();
  const check = useDesk((s) => (s.idCheck?.customerId === customerId ? s.idCheck : null));
  const { startIdCheck } = useDeskActions();

  if (check?.status === 'shown') {
    return (
      <span className="id-check shown" data-testid="id-number-full">
        <span className="id-number">{check.idNumber}</span>
        <span className="id-checked-badge">{t('idCheck.checked')}</span>
      </span>
    );
  }
  return (
    <span className="id-check">
      <span className="id-number" data-testid="id-number-masked">
        {masked}
      </span>
      {check === null || check.status === 'failed' ? (
        <button type="button" className="id-check-start" data-testid="id-check-start" onClick={() => startIdCheck(customerId)}>
          {t('idCheck.start')}
        </button>
      ) : (
        <IdCardConfirm customerId={customerId} checking={check.status === 'checking'} />
      )}
      {check?.status === 'failed' && <IdCheckError failure={check.error} />}
    </span>
  );
}

/** The clerk's confirmation: a checkbox, then the button that shows the number (focus starts on the checkbox). */
function IdCardConfirm({ customerId, checking }: { customerId: string; checking: boolean }) {
  const { t } = useTranslation();
  const { revealIdNumber, cancelIdCheck } = useDeskActions();
  const [confirmed, setConfirmed] = useState(false);
  const checkbox = useRef<HTMLInputElement>(null);
  useEffect(() => checkbox.current?.focus(), []);

  return (
    <span className="id-check-confirm" role="group" aria-label={t('idCheck.start')} data-testid="id-check-confirm">
      <label>
        <input ref={checkbox} type="checkbox" data-testid="id-check-confirmed" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        {t('idCheck.confirm')}
      </label>
      <button type="button" className="primary" data-testid="id-check-reveal" disabled={!confirmed || checking} onClick={() => void revealIdNumber(customerId)}>
        {checking ? t('idCheck.checking') : t('idCheck.reveal')}
      </button>
      <button type="button" data-testid="id-check-cancel" disabled={checking} onClick={cancelIdCheck}>
        {t('idCheck.cancel')}
      </button>
    </span>
  );
}

/** Why the number is not shown, in words: a refusal here means this desk holds the number masked. */
function IdCheckError({ failure }: { failure: DeskFailure }) {
  const { t } = useTranslation();
  return (
    <span className="error-text" role="alert" data-testid="id-check-error" data-code={failure.code} title={failure.message}>
      {t([`idCheck.error.${failure.code}`, `error.${failure.code}`])}
    </span>
  );
}
