// After a call the agent records its outcome before the next customer: the notice says so,
// and a card asked for meanwhile waits for an explicit "leave without an outcome".
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { needsWrapUp } from '../state/desk-store';
import { useDesk, useDeskActions } from '../state/store-context';

export function WrapUpNotice() {
  const { t } = useTranslation();
  const wrapUp = useDesk(needsWrapUp);
  const pending = useDesk((s) => s.pendingCard !== null);
  const { confirmReplaceCard, cancelReplaceCard } = useDeskActions();
  const stay = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (pending) stay.current?.focus();
  }, [pending]);

  if (!wrapUp) return null;
  return (
    <div className="wrap-up" data-testid="wrap-up" role="status">
      <strong>{t('wrapUp.title')}</strong>
      {pending && (
        <div
          className="wrap-up-confirm"
          role="alertdialog"
          aria-label={t('wrapUp.confirm')}
          data-testid="wrap-up-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancelReplaceCard();
          }}
        >
          <span>{t('wrapUp.confirm')}</span>
          <button type="button" ref={stay} className="primary" data-testid="wrap-up-stay" onClick={cancelReplaceCard}>
            {t('wrapUp.stay')}
          </button>
          <button type="button" data-testid="wrap-up-leave" onClick={() => void confirmReplaceCard()}>
            {t('wrapUp.leave')}
          </button>
        </div>
      )}
    </div>
  );
}
