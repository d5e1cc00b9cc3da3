import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { contentLanguage } from '../i18n/languages';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { useDesk } from '../state/store-context';
import { IdNumberCheck } from './IdNumberCheck';

export function CustomerFacts({ card }: { card: CustomerCard }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  const customer = card.customer;
  const atCounter = useDesk((s) => s.session?.role === 'store');

  if (customer === null) {
    return (
      <div className="facts">
        <h2 className="customer-name" data-testid="card-name">
          {t('card.prospectName')}
        </h2>
        <p className="prospect-banner" data-testid="prospect-banner">
          {t('card.prospectBanner', { phone: card.phoneMasked })}
        </p>
        <dl className="fact-list">
          <dt>{t('fact.phone')}</dt>
          <dd data-testid="card-phone">{card.phoneMasked}</dd>
        </dl>
      </div>
    );
  }

  return (
    <div className="facts">
      <h2 className="customer-name" data-testid="card-name">
        {customer.name}
        <span className={`status status-${customer.status}`}>{t(`status.${customer.status}`)}</span>
        <span className={`status card-source-${card.source ?? 'cache'}`} data-testid="card-source">
          {t(`card.source.${card.source ?? 'cache'}`)}
        </span>
      </h2>
      <dl className="fact-list">
        <dt>{t('fact.phone')}</dt>
        <dd data-testid="card-phone">{card.phoneMasked}</dd>
        <dt>{t('fact.plan')}</dt>
        <dd data-testid="card-plan">
          {customer.planName[lang]} · {f.money(customer.monthlyFee)}
        </dd>
        <dt>{t('fact.tenure')}</dt>
        <dd>{t('fact.tenureValue', { count: customer.tenureMonths })}</dd>
        <dt>{t('fact.contractEnd')}</dt>
        <dd>{customer.contractEnd === null ? t('fact.noContract') : f.isoDate(customer.contractEnd)}</dd>
        <dt>{t('fact.idNumber')}</dt>
        <dd data-testid="card-id-number">
          {atCounter ? <IdNumberCheck customerId={customer.id} masked={customer.idNumberMasked} /> : customer.idNumberMasked}
        </dd>
      </dl>
    </div>
  );
}
