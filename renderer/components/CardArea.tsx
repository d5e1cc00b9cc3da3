import { useTranslation } from 'react-i18next';
import { useDesk } from '../state/store-context';
import { CustomerCardView } from './CustomerCardView';
import { ErrorText } from './ErrorText';

/** What the main area shows: the card, the lookup in progress or failed, or the wait for a call. */
export function CardArea() {
  const { t } = useTranslation();
  const view = useDesk((s) => s.current);
  const lookup = useDesk((s) => s.lookup);
  const atCounter = useDesk((s) => s.session?.role === 'store');

  if (view !== null) return <CustomerCardView view={view} />;
  if (lookup.status === 'loading') return <p className="card-loading">{t('card.loading')}</p>;
  if (lookup.status === 'failed' && lookup.error !== null) return <ErrorText failure={lookup.error} testId="lookup-error" />;
  return (
    <div className="waiting" data-testid="waiting">
      <span className="waiting-icon" aria-hidden="true" />
      <h2>{atCounter ? t('waiting.counterTitle') : t('waiting.title')}</h2>
      <p>{atCounter ? t('waiting.counterHint') : t('waiting.hint')}</p>
    </div>
  );
}
