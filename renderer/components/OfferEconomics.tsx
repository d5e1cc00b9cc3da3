// Why an offer ranks where it does: expected value = P(accept) × (value − cost) − contact cost.
import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { useFormatters } from '../format/use-formatters';

export function OfferEconomics({ offer }: { offer: CardOffer }) {
  const { t } = useTranslation();
  const f = useFormatters();
  // A care action is not sold: it is labelled as care with what it costs, not as a negative expected value.
  if (offer.kind === 'care') {
    return (
      <div className="offer-economics care" data-testid="offer-economics">
        <span className="offer-value" data-testid="offer-care-cost" title={t('offer.careCostHint')}>
          {t('offer.careCost')} <strong>{f.money(offer.cost + offer.contactCost)}</strong>
        </span>
        <dl className="ev-breakdown">
          <dt>{t('offer.cost')}</dt>
          <dd>{f.money(offer.cost)}</dd>
          <dt>{t('offer.contactCost')}</dt>
          <dd>{f.money(offer.contactCost)}</dd>
        </dl>
      </div>
    );
  }
  return (
    <div className="offer-economics" data-testid="offer-economics">
      <span className="offer-value" data-testid="offer-ev" title={t('offer.evFormula')}>
        {t('offer.expectedValue')} <strong>{f.money(offer.expectedValue)}</strong>
      </span>
      <dl className="ev-breakdown">
        <dt>{t('offer.pAccept')}</dt>
        <dd data-testid="offer-p-accept">{f.probability(offer.pAccept)}</dd>
        <dt>{t('offer.value')}</dt>
        <dd>{f.money(offer.value)}</dd>
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
