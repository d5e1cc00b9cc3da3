// Records what happened with the offer being presented. A declined or not-presented outcome
// needs its reason code: choosing the result moves the focus to the reason list.
import { DEFAULT_CONTACT_HOURS } from '../../shared/domain/contact-hours';
import { useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DECLINE_REASONS, DeclineReason, NOT_PRESENTED_REASONS, NotPresentedReason, OUTCOME_RESULTS } from '../../shared/contract/outcomes';
import { useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { keysFor, RESULT_SHORTCUT_KEYS, SAVE_SHORTCUT } from '../keyboard/shortcuts';
import { FOCUS_TARGET } from '../keyboard/use-desk-shortcuts';
import { shownOffer, type ShownCard } from '../state/shown-card';
import { useDesk, useDeskActions } from '../state/store-context';
import { ErrorText } from './ErrorText';
import { SavedOutcomeNotice } from './SavedOutcomeNotice';

function ReasonSelect() {
  const { t } = useTranslation();
  const form = useDesk((s) => s.outcome);
  const actions = useDeskActions();
  const select = useRef<HTMLSelectElement>(null);
  const declined = form.result === 'declined';
  const missing = form.problem === 'declineReasonRequired' || form.problem === 'notPresentedReasonRequired';

  useEffect(() => {
    if (form.result === 'declined' || form.result === 'not_presented') select.current?.focus();
  }, [form.result]);

  if (form.result !== 'declined' && form.result !== 'not_presented') return null;
  const codes = declined ? DECLINE_REASONS : NOT_PRESENTED_REASONS;
  const prefix = declined ? 'outcome.declineReason' : 'outcome.notPresentedReason';
  const value = (declined ? form.declineReason : form.notPresentedReason) ?? '';
  return (
    <label className="field">
      {t(`${prefix}.label`)} <kbd>{keysFor('focusReason')}</kbd>
      <select
        id={FOCUS_TARGET.reason}
        ref={select}
        data-testid="outcome-reason"
        required
        aria-invalid={missing}
        value={value}
        onChange={(e) => {
          const chosen = e.target.value === '' ? null : e.target.value;
          if (declined) actions.setDeclineReason(chosen === null ? null : DeclineReason.parse(chosen));
          else actions.setNotPresentedReason(chosen === null ? null : NotPresentedReason.parse(chosen));
        }}
      >
        <option value="">{t('outcome.chooseReason')}</option>
        {codes.map((code) => (
          <option key={code} value={code}>
            {t(`${prefix}.${code}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function OutcomePanel({ view }: { view: ShownCard }) {
  const { t } = useTranslation();
  const lang = contentLanguage(useLanguage());
  const form = useDesk((s) => s.outcome);
  const chosenOfferId = useDesk((s) => s.chosenOfferId);
  const contactHours = useDesk((s) => s.session?.contactHours) ?? DEFAULT_CONTACT_HOURS;
  const actions = useDeskActions();
  const offer = shownOffer(view, chosenOfferId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void actions.saveOutcome();
  };

  return (
    <form className="panel outcome-panel" onSubmit={submit} noValidate>
      <h3>{t('section.outcome')}</h3>
      <p className="outcome-offer">{offer === null ? t('outcome.noOffer') : t('outcome.forOffer', { offer: offer.name[lang] })}</p>
      <div className="outcome-results" role="group" aria-label={t('section.outcome')}>
        {OUTCOME_RESULTS.map((result) => (
          <button
            key={result}
            type="button"
            data-testid={`outcome-${result}`}
            className={`result-button result-${result}`}
            aria-pressed={form.result === result}
            // Without an offer on the card only "not presented" can be recorded.
            disabled={offer === null && result !== 'not_presented'}
            title={RESULT_SHORTCUT_KEYS[result]}
            onClick={() => actions.chooseResult(result)}
          >
            {t(`outcome.result.${result}`)}
            <kbd>{RESULT_SHORTCUT_KEYS[result]}</kbd>
          </button>
        ))}
      </div>
      <ReasonSelect />
      {form.result === 'callback' && (
        <label className="field">
          {t('outcome.callbackAt')}
          <input
            type="datetime-local"
            data-testid="outcome-callback-at"
            value={form.callbackAt}
            required
            aria-invalid={form.problem === 'callbackRequired' || form.problem === 'callbackInPast' || form.problem === 'callbackOutsideHours'}
            onChange={(e) => actions.setCallbackAt(e.target.value)}
          />
          <span className="hint" data-testid="outcome-contact-hours">
            {t('outcome.contactHours', contactHours)}
          </span>
        </label>
      )}
      <label className="field">
        <span className="field-label">
          {t('outcome.note')}
          <kbd>{keysFor('focusNote')}</kbd>
        </span>
        <textarea
          id={FOCUS_TARGET.note}
          data-testid="outcome-note"
          rows={2}
          maxLength={500}
          placeholder={t('outcome.notePlaceholder')}
          value={form.note}
          onChange={(e) => actions.setNote(e.target.value)}
        />
      </label>
      {form.problem !== null && (
        <p className="error-text" role="alert" data-testid="outcome-problem">
          {t(`outcome.${form.problem}`, contactHours)}
        </p>
      )}
      {form.error !== null && <ErrorText failure={form.error} testId="outcome-error" />}
      <div className="outcome-actions">
        <button type="submit" className="primary" data-testid="outcome-save" disabled={form.saving} title={SAVE_SHORTCUT}>
          {form.saving ? t('outcome.saving') : t('outcome.save')}
          <kbd>{SAVE_SHORTCUT}</kbd>
        </button>
        {form.savedOutcomeId !== null && <SavedOutcomeNotice outcomeId={form.savedOutcomeId} card={view.card} />}
      </div>
    </form>
  );
}
