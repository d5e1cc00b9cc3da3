// The agent's outbound retention list: callbacks the customers asked for first (with their
// time, overdue ones flagged), then at-risk customers in the backend's order (expected value of
// the contact); a count, a filter by kind, and a warning outside the operator's contact hours.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboundQueueItem } from '../../shared/contract/desk-api';
import { withinContactHours } from '../../shared/domain/contact-hours';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { useListKeyboard } from '../keyboard/use-list-keyboard';
import { useDesk, useDeskActions } from '../state/store-context';
import { ErrorText } from './ErrorText';
import { OfferHeadlineFigure } from './OfferEconomics';

/** Callbacks first, each slot keeping the order the backend ranked it in. */
function outboundDisplayOrder(items: readonly OutboundQueueItem[]): OutboundQueueItem[] {
  return [...items.filter((i) => i.slot === 'callback'), ...items.filter((i) => i.slot !== 'callback')];
}

const FILTERS = ['all', 'callback', 'at_risk'] as const;
type QueueFilter = (typeof FILTERS)[number];

export function OutboundQueuePanel() {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  const outbound = useDesk((s) => s.outbound);
  const { loadOutboundQueue, openCustomer } = useDeskActions();
  const [filter, setFilter] = useState<QueueFilter>('all');
  const allItems = outboundDisplayOrder(outbound.queue?.items ?? []);
  const countOf = (kind: QueueFilter) => (kind === 'all' ? allItems.length : allItems.filter((i) => i.slot === kind).length);
  const items = filter === 'all' ? allItems : allItems.filter((i) => i.slot === filter);
  const contactHours = useDesk((s) => s.session?.contactHours);
  const outsideHours = contactHours !== undefined && !withinContactHours(new Date(), contactHours);
  const list = useListKeyboard(items.length, (index) => {
    const item = items[index];
    if (item !== undefined) void openCustomer(item.customerId, 'outbound');
  });

  useEffect(() => {
    void loadOutboundQueue();
  }, [loadOutboundQueue]);

  return (
    <section className="panel outbound-queue" data-testid="outbound-queue">
      <div className="panel-head">
        <h3>{t('outbound.title')}</h3>
        {outbound.queue?.cachedAt != null && (
          <span className="cached-note" data-testid="outbound-cached">
            {t('outbound.cachedAt', { time: f.dateTime(outbound.queue.cachedAt) })}
          </span>
        )}
        <button type="button" className="link" onClick={() => void loadOutboundQueue()}>
          {t('outbound.reload')}
        </button>
      </div>
      {outsideHours && (
        <p className="warning-note" role="alert" data-testid="outbound-outside-hours">
          {t('outbound.outsideHours', contactHours)}
        </p>
      )}
      {allItems.length > 0 && (
        <div className="queue-summary">
          <span data-testid="outbound-summary">
            {t('outbound.summary', {
              count: allItems.length,
              callbacks: countOf('callback'),
              overdue: allItems.filter((i) => i.overdue).length,
            })}
          </span>
          <span className="segmented" role="radiogroup" aria-label={t('outbound.filter.label')}>
            {FILTERS.map((kind) => (
              <button
                key={kind}
                type="button"
                role="radio"
                aria-checked={filter === kind}
                data-testid={`outbound-filter-${kind}`}
                onClick={() => setFilter(kind)}
              >
                {t(`outbound.filter.${kind}`, { count: countOf(kind) })}
              </button>
            ))}
          </span>
          <span className="hint">{t('outbound.order')}</span>
        </div>
      )}
      {outbound.status === 'loading' && outbound.queue === null && <p className="hint">{t('outbound.loading')}</p>}
      {outbound.status === 'failed' && outbound.error !== null && <ErrorText failure={outbound.error} testId="outbound-error" />}
      {outbound.queue !== null && allItems.length === 0 && <p className="hint">{t('outbound.empty')}</p>}
      {allItems.length > 0 && items.length === 0 && <p className="hint">{t('outbound.noneInFilter')}</p>}
      {items.length > 0 && (
        <table
          className="queue-table"
          role="grid"
          tabIndex={0}
          aria-activedescendant={`queue-item-${list.highlighted}`}
          data-testid="outbound-list"
          onKeyDown={list.onKeyDown}
        >
          <thead>
            <tr>
              <th>{t('outbound.col.slot')}</th>
              <th>{t('outbound.col.customer')}</th>
              <th>{t('outbound.col.stage')}</th>
              <th>{t('outbound.col.warning')}</th>
              <th>{t('outbound.col.bestOffer')}</th>
              <th>{t('outbound.col.ev')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr
                key={`${item.slot}-${item.customerId}`}
                id={`queue-item-${i}`}
                data-testid="queue-item"
                data-customer-id={item.customerId}
                data-slot={item.slot}
                data-overdue={item.overdue}
                aria-selected={i === list.highlighted}
                onClick={() => {
                  list.setHighlighted(i);
                  void openCustomer(item.customerId, 'outbound');
                }}
              >
                <td>
                  {item.slot === 'callback' && item.callbackAt !== null
                    ? t('outbound.callbackAt', { time: f.dateTime(item.callbackAt) })
                    : t(`outbound.slot.${item.slot}`)}
                  {item.overdue && <span className="overdue-badge"> {t('outbound.overdue')}</span>}
                </td>
                <td>
                  <strong>{item.name}</strong> <span className="phone">{item.phoneMasked}</span>
                </td>
                <td>
                  <span className={`stage-badge stage-${item.stage}`}>{t(`stage.${item.stage}`)}</span>
                </td>
                <td>
                  <span className={`warning-badge warning-${item.warningLevel}`}>{t(`warning.${item.warningLevel}`)}</span>
                  {item.churnProbability !== null && <span className="risk"> {f.probability(item.churnProbability)}</span>}
                </td>
                <td>{item.bestOffer === null ? t('value.notApplicable') : item.bestOffer.name[lang]}</td>
                <td className="num">
                  {item.bestOffer === null ? t('value.notApplicable') : <OfferHeadlineFigure offer={item.bestOffer} testId="queue-offer-value" />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
