// The store card's counterpart of the phone script: what the clerk does at the counter for the
// shown offer, in order, with the offer's terms under "present the offer". The ID check step is
// marked done once the ID card was checked on this card.
import { useTranslation } from 'react-i18next';
import type { CardOffer } from '../../shared/contract/desk-api';
import { counterActionsFor } from '../../shared/domain/counter-actions';
import { useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';
import { useDesk } from '../state/store-context';

export function CounterActions({ offer }: { offer: CardOffer }) {
  const { t } = useTranslation();
  const lang = contentLanguage(useLanguage());
  const idChecked = useDesk((s) => s.idCheck?.status === 'shown');

  return (
    <div className="script counter-actions" data-testid="counter-actions">
      <h4>{t('offer.counterActions')}</h4>
      <ol>
        {counterActionsFor(offer.kind).map((action) => {
          const done = action === 'check_id' && idChecked;
          return (
            <li key={action} className={done ? 'counter-action done' : 'counter-action'} data-testid={`counter-action-${action}`} data-done={done}>
              {t(`counterAction.${action}`)}
              {(action === 'present_offer' || action === 'explain_care') && <p className="script-line">{offer.script[lang].pitch}</p>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
