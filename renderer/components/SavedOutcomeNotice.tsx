import { useTranslation } from 'react-i18next';
import type { CustomerCard } from '../../shared/contract/desk-api';

/** "Saved", with whether it has reached the server yet (read from the refreshed card). */
export function SavedOutcomeNotice({ outcomeId, card }: { outcomeId: string; card: CustomerCard }) {
  const { t } = useTranslation();
  const syncState = card.recentOutcomes.find((o) => o.outcomeId === outcomeId)?.syncState ?? 'pending';
  return (
    <span className={`saved-notice sync-${syncState}`} data-testid="outcome-saved" data-sync-state={syncState} role="status">
      {t('outcome.saved')} · {t(`syncState.${syncState}`)}
    </span>
  );
}
