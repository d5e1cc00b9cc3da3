import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { keysFor } from '../keyboard/shortcuts';
import { useDeskActions } from '../state/store-context';
import { OfferBadges, OfferEconomics } from './OfferEconomics';
import { ReasonList } from './ReasonList';

export function AlternativeOffers({ offers }: { offers: readonly CardOffer[] }) {
  const { t } = useTranslation();
  const lang = contentLanguage(useLanguage());
  const { chooseOffer } = useDeskActions();
  if (offers.length === 0) return null;

  return (
    <div className="panel alternatives">
      <h3>{t('section.alternatives')}</h3>
      <ul>
        {offers.map((offer, i) => (
          <li key={offer.offerId} data-testid={`offer-alt-${i}`} data-offer-id={offer.offerId}>
            <div className="offer-title">
              <span className="offer-name">{offer.name[lang]}</span>
              <OfferBadges offer={offer} />
              <button type="button" className="link" title={keysFor('cycleOffer')} onClick={() => chooseOffer(offer.offerId)}>
                {t('offer.present')}
              </button>
            </div>
            <OfferEconomics offer={offer} />
            <ReasonList reasons={offer.why} />
          </li>
        ))}
      </ul>
    </div>
  );
}
