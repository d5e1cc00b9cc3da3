// Why an offer ranks where it does: expected value = P(accept) × (value − cost) − contact cost; a care
// action is not sold, so it is labelled as care with what it costs, not as a negative expected value.
import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { offerHeadline, type OfferFigures } from '../format/offer-headline';
import { useFormatters } from '../format/use-formatters';

/** The offer's headline figure: a care action as care with its cost, any other offer by its expected value. */
export function OfferHeadlineFigure({ offer, testId }: { offer: OfferFigures; testId?: string }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const headline = offerHeadline(offer);
  return (
    <span className="offer-value" data-testid={testId ?? (headline.care ? 'offer-care-cost' : 'offer-ev')} title={t(headline.hintKey)}>
      {t(headline.labelKey)} <strong>{f.money(headline.yuan)}</strong>
    </span>
  );
}

export function OfferEconomics({ offer }: { offer: CardOffer }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const care = offerHeadline(offer).care;
  return (
    <div className={care ? 'offer-economics care' : 'offer-economics'} data-testid="offer-economics">
      <OfferHeadlineFigure offer={offer} />
      <dl className="ev-breakdown">
        {!care && (
          <>
            <dt>{t('offer.pAccept')}</dt>
            <dd data-testid="offer-p-accept">{f.probability(offer.pAccept)}</dd>
            <dt>{t('offer.value')}</dt>
            <dd>{f.money(offer.value)}</dd>
          </>
        )}
        <dt>{t('offer.cost')}</dt>
        <dd>{f.money(offer.cost)}</dd>
        <dt>{t('offer.contactCost')}</dt>
        <dd>{f.money(offer.contactCost)}</dd>
      </dl>
    </div>
  );
}

/** "Exploring" (the Thompson draw placed it) and the experiment arm, when they apply. */
export function OfferBadges({ offer }: { offer: CardOffer }) {
  const { t } = useTranslation();
  return (
    <>
      <span className={`kind-badge kind-${offer.kind}`}>{t(`offerKind.${offer.kind}`)}</span>
      {offer.explored && (
        <span className="explore-badge" data-testid="offer-explored" title={t('offer.exploredHint')}>
          {t('offer.explored')}
        </span>
      )}
      {offer.experiment !== null && (
        <span className={`arm-badge arm-${offer.experiment.arm}`} data-testid="offer-arm" data-arm={offer.experiment.arm}>
          {t(`offer.arm.${offer.experiment.arm}`)}
        </span>
      )}
    </>
  );
}
