// During a call: log a complaint or a network fault; the card comes back re-scored and a short
// notice says so, with the new churn probability. The outcome form is left as it was.
import { useTranslation } from 'react-i18next';
import { CUSTOMER_EVENT_KINDS, type CustomerEventKind } from '../../shared/contract/customer-events';
import { useFormatters } from '../format/use-formatters';
import { keysFor } from '../keyboard/shortcuts';
import { useDesk, useDeskActions } from '../state/store-context';
import { ErrorText } from './ErrorText';

const SHORTCUT_OF: Record<CustomerEventKind, Parameters<typeof keysFor>[0]> = {
  complaint: 'logComplaint',
  network_issue: 'logNetworkIssue',
};

export function CustomerEventButtons() {
  const { t } = useTranslation();
  const f = useFormatters();
  const logged = useDesk((s) => s.loggedEvent);
  const { logCustomerEvent } = useDeskActions();

  return (
    <div className="customer-events" data-testid="customer-events">
      {CUSTOMER_EVENT_KINDS.map((kind) => (
        <button
          key={kind}
          type="button"
          data-testid={`log-event-${kind}`}
          title={keysFor(SHORTCUT_OF[kind])}
          disabled={logged?.status === 'saving'}
          onClick={() => void logCustomerEvent(kind)}
        >
          {t(`customerEvent.${kind}`)}
        </button>
      ))}
      {logged?.status === 'saving' && <span role="status">{t('customerEvent.saving')}</span>}
      {logged?.status === 'saved' && (
        <span className="saved-notice" role="status" data-testid="customer-event-saved" data-kind={logged.kind}>
          {t('customerEvent.saved')}
          {logged.churnProbability !== null && ` · ${t('customerEvent.churn', { probability: f.probability(logged.churnProbability) })}`}
        </span>
      )}
      {logged?.status === 'failed' && logged.error !== null && <ErrorText failure={logged.error} testId="customer-event-error" />}
    </div>
  );
}
