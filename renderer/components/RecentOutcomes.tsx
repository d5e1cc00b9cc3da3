import { useTranslation } from 'react-i18next';
import type { CardOutcome, CustomerCard } from '../../shared/contract/desk-api';
import { useCodeLabels } from '../format/code-labels';
import { useFormatters } from '../format/use-formatters';

export function RecentOutcomes({ card }: { card: CustomerCard }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const labels = useCodeLabels();
  // The card builder names each past offer; one on the card now is named there too.
  const offerName = (o: CardOutcome) => labels.offer(o.offerId, o.offerName ?? card.offers.find((offer) => offer.offerId === o.offerId)?.name);

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
              <span className={`result result-${o.result}`}>{labels.code('result', o.result)}</span>
              {o.offerId !== null && <span className="offer">{offerName(o)}</span>}
              <span className="channel">{labels.code('channel', o.channel)}</span>
              <span className={`sync-badge sync-${o.syncState}`}>{labels.code('syncState', o.syncState)}</span>
              {o.note !== '' && <span className="note">{o.note}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
