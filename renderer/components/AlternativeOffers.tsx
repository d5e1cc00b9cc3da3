import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { useDeskActions } from '../state/store-context';

export function AlternativeOffers({ offers }: { offers: readonly CardOffer[] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  const { chooseOffer } = useDeskActions();
  if (offers.length === 0) return null;

  return (
    <div className="panel alternatives">
      <h3>{t('section.alternatives')}</h3>
      <ul>
        {offers.map((offer, i) => (
          <li key={offer.offerId} data-testid={`offer-alt-${i}`} data-offer-id={offer.offerId}>
            <span className="offer-name">{offer.name[lang]}</span>
            <span className={`kind-badge kind-${offer.kind}`}>{t(`offerKind.${offer.kind}`)}</span>
            <span className="offer-value" title={t('offer.expectedValue')}>
              {f.money(offer.expectedValue)}
            </span>
            <button type="button" className="link" onClick={() => chooseOffer(offer.offerId)}>
              {t('offer.present')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
