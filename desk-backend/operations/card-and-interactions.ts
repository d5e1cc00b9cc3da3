// Opening customer cards and the agent's open interactions (a call or a look-up until its outcome is saved).
// A number the desk's cache scope may not hold is asked of the central API (open-card.ts).
import { normalizeMobile } from '../../shared/domain/phone';
import { DeskError } from '../desk-failure';
import type { DeskContext, HandlersFor } from './desk-context';
import { createServerCardFetch } from './open-card';

type CardAndInteractionOperation =
  'card/byPhone' | 'card/byCustomer' | 'interaction/list' | 'interaction/open' | 'interaction/saveDraft' | 'interaction/endCall' | 'interaction/discard';

const noOpenInteraction = () => new DeskError('not_found', 'no such open interaction: its outcome was saved or it was discarded');

export function cardAndInteractionOperations({ now, stores, sessions, openCard }: DeskContext): HandlersFor<CardAndInteractionOperation> {
  const { cardQuery, interactions } = stores;
  const { scope, syncState } = stores.sync;
  const serverCard = createServerCardFetch(sessions, scope, () => syncState.deviceId(), now);
  return {
    'card/byPhone': async ({ phone, callId, purpose }) => {
      const fromCache = () => openCard(purpose, callId, (view, at) => cardQuery.cardByPhone(phone, at, view));
      const mobile = normalizeMobile(phone);
      // A refresh repaints a card already shown; a whole-book cache that misses a number knows it is a prospect.
      if (mobile === null || purpose === 'refresh' || !scope.mayMiss() || scope.holdsPhone(mobile)) return fromCache();
      return (await serverCard(mobile, purpose, callId === '' ? null : callId)) ?? fromCache();
    },
    'card/byCustomer': async ({ customerId, callId, purpose }) => openCard(purpose, callId, (view, at) => cardQuery.cardByCustomer(customerId, at, view)),
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
