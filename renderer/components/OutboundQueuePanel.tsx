// The agent's outbound retention list: callbacks the customers asked for first (with their
// time), then at-risk customers in the backend's order (expected value of the contact).
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboundQueueItem } from '../../shared/contract/desk-api';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { useListKeyboard } from '../keyboard/use-list-keyboard';
import { useDesk, useDeskActions } from '../state/store-context';
import { ErrorText } from './ErrorText';

/** Callbacks first, each slot keeping the order the backend ranked it in. */
function outboundDisplayOrder(items: readonly OutboundQueueItem[]): OutboundQueueItem[] {
  return [...items.filter((i) => i.slot === 'callback'), ...items.filter((i) => i.slot !== 'callback')];
}

export function OutboundQueuePanel() {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  const outbound = useDesk((s) => s.outbound);
  const { loadOutboundQueue, openCustomer } = useDeskActions();
  const items = outboundDisplayOrder(outbound.queue?.items ?? []);
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
      {outbound.status === 'loading' && outbound.queue === null && <p className="hint">{t('outbound.loading')}</p>}
      {outbound.status === 'failed' && outbound.error !== null && <ErrorText failure={outbound.error} testId="outbound-error" />}
      {outbound.queue !== null && items.length === 0 && <p className="hint">{t('outbound.empty')}</p>}
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
                <td className="num">{f.money(item.expectedValue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
