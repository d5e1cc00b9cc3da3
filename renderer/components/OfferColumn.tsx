import { useTranslation } from 'react-i18next';
import { shownOffer, type CardView } from '../state/card-view';
import { useDesk } from '../state/store-context';
import { AlternativeOffers } from './AlternativeOffers';
import { OfferPanel } from './OfferPanel';

/** How many other offers the card lists besides the one being presented. */
const MAX_ALTERNATIVES = 2;

export function OfferColumn({ view }: { view: CardView }) {
  const { t } = useTranslation();
  const chosenOfferId = useDesk((s) => s.chosenOfferId);
  const offer = shownOffer(view, chosenOfferId);

  if (offer === null) {
    return (
      <div className="panel offer-panel empty" data-testid="offer-none">
        {t('offer.none')}
      </div>
    );
  }
  const alternatives = view.card.offers.filter((o) => o.offerId !== offer.offerId).slice(0, MAX_ALTERNATIVES);
  return (
    <>
      <OfferPanel offer={offer} isBest={offer.offerId === view.card.offers[0]?.offerId} />
      <AlternativeOffers offers={alternatives} />
    </>
  );
}
