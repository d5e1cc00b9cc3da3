// The agent's open interactions side by side: a second call opens beside the first instead of
// over it, each keeps its draft, and Alt+I (or a click) switches between them. The one on screen
// can be ended by hand (an outbound call has no CTI events) or discarded after a confirmation.
import { useTranslation } from 'react-i18next';
import type { OpenInteraction } from '../../shared/contract/desk-api';
import { maskPhone } from '../../shared/domain/masking';
import { normalizeMobile } from '../../shared/domain/phone';
import { keysFor } from '../keyboard/shortcuts';
import { useDesk, useDeskActions } from '../state/store-context';
import { DiscardInteractionDialog } from './DiscardInteractionDialog';
import { useElapsed } from './use-elapsed';

function useWho(interaction: OpenInteraction): string {
  const { t } = useTranslation();
  const { card, request } = interaction;
  if (card?.customer) return card.customer.name;
  if (card !== null && card.phoneMasked !== '') return card.phoneMasked;
  if (request.by === 'phone') return request.phone === '' ? t('call.withheld') : maskPhone(normalizeMobile(request.phone) ?? request.phone);
  return request.customerId;
}

function InteractionTab({ interaction, active }: { interaction: OpenInteraction; active: boolean }) {
  const { t } = useTranslation();
  const { switchInteraction } = useDeskActions();
  const who = useWho(interaction);
  const elapsed = useElapsed(interaction.wrapUpStartedAt);
  const unsaved = interaction.draft.result !== null || interaction.draft.note.trim() !== '';
  return (
    <button
      type="button"
      role="tab"
      aria-selected={active}
      className={`interaction-tab interaction-${interaction.state}`}
      data-testid="interaction-tab"
      data-interaction-id={interaction.interactionId}
      data-state={interaction.state}
      title={keysFor('cycleInteraction')}
      onClick={() => switchInteraction(interaction.interactionId)}
    >
      <span className="interaction-who">{who}</span>
      <span className="interaction-state">
        {t(`interaction.state.${interaction.state}`)}
        {elapsed !== null && ` ${elapsed}`}
      </span>
      {unsaved && (
        <span className="interaction-draft" data-testid="interaction-has-draft">
          {t('interaction.draft')}
        </span>
      )}
    </button>
  );
}

export function OpenInteractionsBar() {
  const { t } = useTranslation();
  const interactions = useDesk((s) => s.interactions);
  const activeId = useDesk((s) => s.activeInteractionId);
  const discardAsked = useDesk((s) => s.discardAsked);
  const error = useDesk((s) => s.interactionError);
  const { askDiscard, endCall } = useDeskActions();
  if (interactions.length === 0) return null;
  const active = interactions.find((i) => i.interactionId === activeId) ?? null;
  return (
    <div className="interactions-bar" data-testid="open-interactions">
      <span className="interactions-label">{t('interaction.open', { n: interactions.length })}</span>
      <div role="tablist" aria-label={t('interaction.open', { n: interactions.length })} className="interaction-tabs">
        {interactions.map((interaction) => (
          <InteractionTab key={interaction.interactionId} interaction={interaction} active={interaction.interactionId === activeId} />
        ))}
      </div>
      {active !== null && active.state !== 'wrap_up' && (
        <button type="button" data-testid="interaction-end" title={keysFor('endCall')} onClick={() => void endCall()}>
          {t('interaction.endCall')} <kbd>{keysFor('endCall')}</kbd>
        </button>
      )}
      {active !== null && (
        <button type="button" className="link" data-testid="interaction-discard" title={keysFor('discardInteraction')} onClick={askDiscard}>
          {t('interaction.discard')} <kbd>{keysFor('discardInteraction')}</kbd>
        </button>
      )}
      {error !== null && (
        <span className="error-text" role="alert" data-testid="interaction-error" data-code={error.code}>
          {t('interaction.saveFailed')}
        </span>
      )}
      {discardAsked !== null && <DiscardInteractionDialog />}
    </div>
  );
}
