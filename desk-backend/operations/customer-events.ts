// Logging a customer event (a complaint, a visit, ...): queued for upload and shown on the card at once.
import { contactChannel } from '../../shared/domain/contact-channel';
import { DeskError } from '../desk-failure';
import type { DeskContext, HandlersFor } from './desk-context';

export function customerEventOperations({ now, stores, sessions }: DeskContext): HandlersFor<'customer/logEvent'> {
  return {
    'customer/logEvent': async (draft) => {
      const { session, runtime } = sessions.require();
      if (!stores.customerExists(draft.customerId)) throw new DeskError('not_found', 'no such customer in the local cache');
      const at = now();
      stores.eventOutbox.record(draft, session.agentId, at);
      stores.eventOverlay.track(draft.customerId);
      runtime.engine.publishStatus();
      runtime.engine.kickUpload();
      // The card on screen is refreshed, not opened again: no second audit row.
      const card = stores.cardQuery.cardByCustomer(draft.customerId, at, { channel: contactChannel('refresh', session.role), callId: draft.callId });
      if (card === null) throw new DeskError('not_found', 'no such customer in the local cache');
      return card;
    },
  };
}
