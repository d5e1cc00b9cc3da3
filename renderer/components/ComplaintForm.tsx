// What the complaint is about (required) and an optional note. The first category has the
// focus: arrow keys choose, Enter queues it, Escape closes the form.
import { useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPLAINT_CATEGORIES } from '../../shared/contract/customer-events';
import type { ComplaintFormState } from '../state/complaint';
import { useDeskActions } from '../state/store-context';

export function ComplaintForm({ form }: { form: ComplaintFormState }) {
  const { t } = useTranslation();
  const { editComplaint, cancelComplaint, submitComplaint } = useDeskActions();
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    submitComplaint();
  };

  return (
    <form
      className="complaint-form"
      data-testid="complaint-form"
      aria-label={t('complaint.title')}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancelComplaint();
      }}
      noValidate
    >
      <fieldset className="complaint-categories" aria-invalid={form.problem !== null}>
        <legend>{t('complaint.category')}</legend>
        {COMPLAINT_CATEGORIES.map((category, i) => (
          <label key={category} className="complaint-category">
            <input
              ref={i === 0 ? first : undefined}
              type="radio"
              name="complaint-category"
              value={category}
              data-testid={`complaint-category-${category}`}
              checked={form.category === category}
              onChange={() => editComplaint({ category })}
            />
            {t(`complaint.categories.${category}`)}
          </label>
        ))}
      </fieldset>
      <input
        className="complaint-note"
        data-testid="complaint-note"
        maxLength={500}
        placeholder={t('complaint.notePlaceholder')}
        aria-label={t('complaint.note')}
        value={form.note}
        onChange={(e) => editComplaint({ note: e.target.value })}
      />
      <button type="submit" className="primary" data-testid="complaint-submit">
        {t('complaint.submit')}
      </button>
      <button type="button" data-testid="complaint-cancel" onClick={cancelComplaint}>
        {t('complaint.cancel')}
      </button>
      {form.problem !== null && (
        <span className="error-text" role="alert" data-testid="complaint-problem">
          {t('complaint.chooseCategory')}
        </span>
      )}
    </form>
  );
}
