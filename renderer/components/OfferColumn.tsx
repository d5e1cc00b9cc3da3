import { useTranslation } from 'react-i18next';
import { CARD_OFFERS_SHOWN, shownOffer, type ShownCard } from '../state/shown-card';
import { useDesk } from '../state/store-context';
import { AlternativeOffers } from './AlternativeOffers';
import { OfferPanel } from './OfferPanel';
import { SuppressedOffers } from './SuppressedOffers';

/** The offer being presented, with its script. */
export function OfferColumn({ view }: { view: ShownCard }) {
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
  return <OfferPanel offer={offer} isBest={offer.offerId === view.card.offers[0]?.offerId} />;
}

/** The other offers the agent could present instead, and the ones the contact policy held back. */
export function OtherOffers({ view }: { view: ShownCard }) {
  const chosenOfferId = useDesk((s) => s.chosenOfferId);
  const offer = shownOffer(view, chosenOfferId);
  const alternatives = view.card.offers.slice(0, CARD_OFFERS_SHOWN).filter((o) => o.offerId !== offer?.offerId);
  return (
    <>
      <AlternativeOffers offers={alternatives} />
      <SuppressedOffers suppressed={view.card.suppressed} />
    </>
  );
}
