// Records what happened with the offer being presented.
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { OUTCOME_RESULTS } from '../../shared/contract/outcomes';
import { useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { RESULT_SHORTCUT_KEYS, SAVE_SHORTCUT } from '../keyboard/shortcuts';
import { shownOffer, type CardView } from '../state/card-view';
import { useDesk, useDeskActions } from '../state/store-context';
import { ErrorText } from './ErrorText';
import { SavedOutcomeNotice } from './SavedOutcomeNotice';

export function OutcomePanel({ view }: { view: CardView }) {
  const { t } = useTranslation();
  const lang = contentLanguage(useLanguage());
  const form = useDesk((s) => s.outcome);
  const chosenOfferId = useDesk((s) => s.chosenOfferId);
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
      <label className="field">
        {t('outcome.callbackAt')}
        <input
          type="datetime-local"
          data-testid="outcome-callback-at"
          value={form.callbackAt}
          disabled={form.result !== 'callback'}
          required={form.result === 'callback'}
          aria-invalid={form.problem === 'callbackRequired' || form.problem === 'callbackInPast'}
          onChange={(e) => actions.setCallbackAt(e.target.value)}
        />
      </label>
      <label className="field">
        {t('outcome.note')}
        <textarea
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
          {t(`outcome.${form.problem}`)}
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
