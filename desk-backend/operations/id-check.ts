// The store counter's identity check: the whole ID number for a store clerk who confirmed checking
// the customer's ID card, audit-logged (db/cache/id-number-check.ts). Every other role is refused.
import { DeskError } from '../desk-failure';
import type { DeskContext, HandlersFor } from './desk-context';

export function idCheckOperations({ now, stores, sessions }: DeskContext): HandlersFor<'customer/revealIdNumber'> {
  return {
    'customer/revealIdNumber': async ({ customerId }) => {
      const { session } = sessions.require();
      if (session.role !== 'store') throw new DeskError('forbidden', 'only a store desk shows whole ID numbers, after checking the ID card');
      const at = now();
      const revealed = stores.idNumberCheck.reveal(customerId, session.agentId, at);
      if ('refused' in revealed) {
        throw revealed.refused === 'not_found'
          ? new DeskError('not_found', 'no such customer in the local cache')
          : new DeskError('forbidden', 'this desk holds the ID number masked (cached by another role): it cannot be shown in full');
      }
      return { idNumber: revealed.idNumber, checkedAt: at.toISOString() };
    },
  };
}
