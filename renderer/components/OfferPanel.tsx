// The offer being presented, with the script in the interface language as steps the agent walks;
// at the store counter, the counter actions instead of the phone lines.
import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { rankingRuleOf } from '../../shared/offers/arbitrate';
import { useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { keysFor } from '../keyboard/shortcuts';
import { OPENING_STEP, PITCH_STEP } from '../state/script-steps';
import { useDesk } from '../state/store-context';
import { CounterActions } from './CounterActions';
import { ObjectionList } from './ObjectionList';
import { OfferBadges, OfferEconomics } from './OfferEconomics';
import { ReasonList } from './ReasonList';

export function OfferPanel({ offer, isBest }: { offer: CardOffer; isBest: boolean }) {
  const { t } = useTranslation();
  const lang = contentLanguage(useLanguage());
  const step = useDesk((s) => s.scriptStep);
  const atCounter = useDesk((s) => s.session?.role === 'store');
  const script = offer.script[lang];
  const stepClass = (s: number) => (step === s ? 'script-step current' : 'script-step');
  // Which rule valued the offer: a programme's uplift model, or the churn risk until it has one.
  const rankedBy = rankingRuleOf(offer.why);

  return (
    <div className={`panel offer-panel offer-${offer.kind}`} data-testid="offer-best" data-offer-id={offer.offerId}>
      <h3>{isBest ? t('section.offer') : t('section.chosenOffer')}</h3>
      <div className="offer-title">
        <span className="offer-name">{offer.name[lang]}</span>
        <OfferBadges offer={offer} />
      </div>
      <OfferEconomics offer={offer} />
      {rankedBy !== null && (
        <p className="hint" data-testid="offer-ranked-by" data-rule={rankedBy}>
          {t(`offer.rankedBy.${rankedBy}`)}
        </p>
      )}
      <ReasonList reasons={offer.why} testId="offer-why" />
      {atCounter ? (
        <CounterActions offer={offer} />
      ) : (
        <div className="script" data-testid="script" data-step={step}>
          <h4 title={`${keysFor('nextStep')} / ${keysFor('previousStep')}`}>
            {t('offer.script')} <kbd>{keysFor('nextStep')}</kbd> <kbd>{keysFor('previousStep')}</kbd>
          </h4>
          <div className={stepClass(OPENING_STEP)} data-testid="script-step-opening" aria-current={step === OPENING_STEP ? 'step' : undefined}>
            <h5>{t('offer.opening')}</h5>
            <p className="script-line" data-testid="script-opening">
              {script.opening}
            </p>
          </div>
          <div className={stepClass(PITCH_STEP)} data-testid="script-step-pitch" aria-current={step === PITCH_STEP ? 'step' : undefined}>
            <h5>{t('offer.pitch')}</h5>
            <p className="script-line" data-testid="script-pitch">
              {script.pitch}
            </p>
          </div>
        </div>
      )}
      <ObjectionList objections={script.objections} />
    </div>
  );
}
