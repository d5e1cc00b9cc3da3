// The offer being presented, with the script in the interface language.
import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { ObjectionList } from './ObjectionList';
import { ReasonList } from './ReasonList';

export function OfferPanel({ offer, isBest }: { offer: CardOffer; isBest: boolean }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  const script = offer.script[lang];

  return (
    <div className={`panel offer-panel offer-${offer.kind}`} data-testid="offer-best" data-offer-id={offer.offerId}>
      <h3>{isBest ? t('section.offer') : t('section.chosenOffer')}</h3>
      <div className="offer-title">
        <span className="offer-name">{offer.name[lang]}</span>
        <span className={`kind-badge kind-${offer.kind}`}>{t(`offerKind.${offer.kind}`)}</span>
        <span className="offer-value" title={t('offer.expectedValue')}>
          {t('offer.expectedValue')} {f.money(offer.expectedValue)}
        </span>
      </div>
      <ReasonList reasons={offer.why} testId="offer-why" />
      <div className="script">
        <h4>{t('offer.opening')}</h4>
        <p className="script-line" data-testid="script-opening">
          {script.opening}
        </p>
        <h4>{t('offer.pitch')}</h4>
        <p className="script-line" data-testid="script-pitch">
          {script.pitch}
        </p>
      </div>
      <ObjectionList objections={script.objections} />
    </div>
  );
}
