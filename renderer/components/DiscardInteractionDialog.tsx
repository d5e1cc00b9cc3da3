// Closing an interaction without an outcome needs an explicit confirmation; "keep" has the focus
// and Escape, so a stray Enter keeps it. The desk audit-logs the discard with the reason given.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeskActions } from '../state/store-context';

export function DiscardInteractionDialog() {
  const { t } = useTranslation();
  const { cancelDiscard, confirmDiscard } = useDeskActions();
  const [reason, setReason] = useState('');
  const keep = useRef<HTMLButtonElement>(null);

  useEffect(() => keep.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void confirmDiscard(reason.trim());
  };

  return (
    <form
      className="discard-confirm"
      role="alertdialog"
      aria-label={t('interaction.discardConfirm')}
      data-testid="discard-confirm"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancelDiscard();
      }}
    >
      <span>{t('interaction.discardConfirm')}</span>
      <input
        data-testid="discard-reason"
        maxLength={200}
        placeholder={t('interaction.discardReason')}
        aria-label={t('interaction.discardReason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="button" ref={keep} className="primary" data-testid="discard-keep" onClick={cancelDiscard}>
        {t('interaction.keep')}
      </button>
      <button type="submit" data-testid="discard-yes">
        {t('interaction.discardYes')}
      </button>
    </form>
  );
}
