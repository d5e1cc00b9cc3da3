import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../shared/contract/desk-api';
import { useFormatters, useLanguage } from '../format/use-formatters';
import { contentLanguage } from '../i18n/languages';

export function RecentOutcomes({ card }: { card: CustomerCard }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const lang = contentLanguage(useLanguage());
  const offerName = (offerId: string | null) => {
    if (offerId === null) return null;
    return card.offers.find((o) => o.offerId === offerId)?.name[lang] ?? offerId;
  };

  return (
    <div className="panel recent-outcomes" data-testid="recent-outcomes">
      <h3>{t('section.recent')}</h3>
      {card.recentOutcomes.length === 0 ? (
        <p className="hint">{t('recent.empty')}</p>
      ) : (
        <ul>
          {card.recentOutcomes.map((o) => (
            <li key={o.outcomeId} data-outcome-id={o.outcomeId} data-sync-state={o.syncState}>
              <span className="when">{f.dateTime(o.recordedAt)}</span>
              <span className={`result result-${o.result}`}>{t(`outcome.result.${o.result}`)}</span>
              {offerName(o.offerId) !== null && <span className="offer">{offerName(o.offerId)}</span>}
              <span className="channel">{t(`channel.${o.channel}`)}</span>
              <span className={`sync-badge sync-${o.syncState}`}>{t(`syncState.${o.syncState}`)}</span>
              {o.note !== '' && <span className="note">{o.note}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
