// Opening customer cards and the agent's open interactions (a call or a look-up until its outcome is saved).
// A number or customer id the desk's cache scope may not hold is asked of the central API (open-card.ts).
import { DeskError } from '../desk-failure';
import type { DeskContext, HandlersFor } from './desk-context';
import type { CardOpeners } from './open-card';

type CardAndInteractionOperation =
  'card/byPhone' | 'card/byCustomer' | 'interaction/list' | 'interaction/open' | 'interaction/saveDraft' | 'interaction/endCall' | 'interaction/discard';

const noOpenInteraction = () => new DeskError('not_found', 'no such open interaction: its outcome was saved or it was discarded');

export function cardAndInteractionOperations(context: DeskContext, openers: CardOpeners): HandlersFor<CardAndInteractionOperation> {
  const { now, stores, sessions } = context;
  const { interactions } = stores;
  return {
    'card/byPhone': ({ phone, callId, purpose }) => openers.byPhone(phone, callId, purpose),
    'card/byCustomer': ({ customerId, callId, purpose }) => openers.byCustomer(customerId, callId, purpose),
    'interaction/list': async () => ({ interactions: interactions.list(sessions.require().session.agentId) }),
    'interaction/open': async ({ interactionId, request, card }) => {
      const { session } = sessions.require();
      const state = request.source === 'call' ? 'ringing' : 'talking';
      const opened = interactions.open({ interactionId, agentId: session.agentId, request, card, state, at: now() });
      if (opened === null) throw new DeskError('forbidden', 'this interaction is open on another agent’s desk');
      return opened;
    },
    'interaction/saveDraft': async ({ interactionId, draft }) => {
      const { session } = sessions.require();
      const at = now();
      if (!interactions.saveDraft(session.agentId, interactionId, draft, at)) throw noOpenInteraction();
      return { savedAt: at.toISOString() };
    },
    'interaction/endCall': async ({ interactionId }) => {
      const { session } = sessions.require();
      return interactions.endCall(session.agentId, interactionId, now()) ?? Promise.reject(noOpenInteraction());
    },
    'interaction/discard': async ({ interactionId, reason }) => {
      const { session } = sessions.require();
      return interactions.discard(session.agentId, interactionId, reason, now()) ?? Promise.reject(noOpenInteraction());
    },
  };
}
