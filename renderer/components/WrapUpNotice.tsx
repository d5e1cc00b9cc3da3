// Once the call on screen has ended (not while it rings or is talked through) the agent records
// its outcome: the notice says so and counts the wrap-up time.
import { useTranslation } from 'react-i18next';
import { activeInteraction } from '../state/interactions';
import { useDesk } from '../state/store-context';
import { useElapsed } from './use-elapsed';

export function WrapUpNotice() {
  const { t } = useTranslation();
  const interaction = useDesk(activeInteraction);
  const wrapUpStartedAt = interaction?.state === 'wrap_up' ? interaction.wrapUpStartedAt : null;
  const elapsed = useElapsed(wrapUpStartedAt);
  if (interaction?.state !== 'wrap_up') return null;
  return (
    <div className="wrap-up" data-testid="wrap-up" role="status">
      <strong>{t('wrapUp.title')}</strong>
      {elapsed !== null && (
        <span className="wrap-up-timer" data-testid="wrap-up-timer" title={t('wrapUp.timer')}>
          {elapsed}
        </span>
      )}
    </div>
  );
}
