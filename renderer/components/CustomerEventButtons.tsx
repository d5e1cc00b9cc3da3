// During a call: log a complaint (its category and a note asked first, then a few seconds to undo
// it) or a network fault; the card comes back re-scored and a short notice says so, with the new
// churn probability. The outcome form is left as it was.
import { useTranslation } from 'react-i18next';
import { CUSTOMER_EVENT_KINDS, type CustomerEventKind } from '../../shared/contract/customer-events';
import { useFormatters } from '../format/use-formatters';
import { keysFor } from '../keyboard/shortcuts';
import { useDesk, useDeskActions } from '../state/store-context';
import { ComplaintForm } from './ComplaintForm';
import { ErrorText } from './ErrorText';

const SHORTCUT_OF: Record<CustomerEventKind, Parameters<typeof keysFor>[0]> = {
  complaint: 'logComplaint',
  network_issue: 'logNetworkIssue',
};

export function CustomerEventButtons() {
  const { t } = useTranslation();
  const f = useFormatters();
  const logged = useDesk((s) => s.loggedEvent);
  const complaintForm = useDesk((s) => s.complaintForm);
  const pendingComplaint = useDesk((s) => s.pendingComplaint);
  const { logCustomerEvent, askComplaint, undoComplaint } = useDeskActions();

  return (
    <div className={complaintForm === null ? 'customer-events' : 'customer-events asking'} data-testid="customer-events">
      {CUSTOMER_EVENT_KINDS.map((kind) => (
        <button
          key={kind}
          type="button"
          data-testid={`log-event-${kind}`}
          title={keysFor(SHORTCUT_OF[kind])}
          disabled={logged?.status === 'saving'}
          aria-expanded={kind === 'complaint' ? complaintForm !== null : undefined}
          onClick={() => (kind === 'complaint' ? askComplaint() : void logCustomerEvent(kind))}
        >
          {t(`customerEvent.${kind}`)}
        </button>
      ))}
      {complaintForm !== null && <ComplaintForm form={complaintForm} />}
      {pendingComplaint !== null && (
        <span className="undo-notice" role="status" data-testid="complaint-pending">
          {t('complaint.queued', { category: t(`complaint.categories.${pendingComplaint.category ?? 'other'}`) })}
          <button type="button" className="link" data-testid="complaint-undo" onClick={undoComplaint}>
            {t('complaint.undo')}
          </button>
        </span>
      )}
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
