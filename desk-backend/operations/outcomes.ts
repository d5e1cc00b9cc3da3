// Saving a call's outcome: into the outbox (closing its open interaction), uploaded as soon as possible.
import { withinContactHours } from '../../shared/domain/contact-hours';
import { DeskError } from '../desk-failure';
import type { DeskContext, HandlersFor } from './desk-context';

export function outcomeOperations({ now, stores, sessions }: DeskContext): HandlersFor<'outcome/record'> {
  return {
    'outcome/record': async ({ interactionId, ...draft }) => {
      const { session, runtime } = sessions.require();
      // The form says so before saving; this holds for every caller of the operation.
      if (draft.callbackAt !== null && !withinContactHours(new Date(draft.callbackAt), session.contactHours))
        throw new DeskError('bad_request', `the callback time is outside contact hours (${session.contactHours.from}–${session.contactHours.to} China time)`);
      const recorded = stores.recordOutcome(draft, session.agentId, interactionId, now());
      runtime.engine.publishStatus();
      runtime.engine.kickUpload();
      return { outcomeId: recorded.outcomeId, outboxPending: recorded.outboxPending };
    },
  };
}
