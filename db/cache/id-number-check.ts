// The store counter's identity check: the whole ID number of a cached customer, read in the same
// transaction that queues its audit row, so no number is shown without a record of who saw it.
import { v7 as uuidv7 } from 'uuid';
import { ID_CHECK_PURPOSE } from '../../shared/contract/id-check';
import type { AuditOutbox } from '../outbox/audit-outbox';
import type { CacheDb } from './open-cache';

/** A masked number (an agent's cache, filled before a store login) cannot be shown in full. */
const MASKED = /\*/;

export type IdNumberReveal = { idNumber: string } | { refused: 'not_found' | 'masked' };

export function createIdNumberCheck(db: CacheDb, auditOutbox: AuditOutbox) {
  const idNumberOf = db.prepare<[string], string>('SELECT id_number FROM customers WHERE id = ?').pluck();
  return {
    /** The whole number, with the audit row of `agentId` seeing it at `at` queued; or why not. */
    reveal: db.transaction((customerId: string, agentId: string, at: Date): IdNumberReveal => {
      const idNumber = idNumberOf.get(customerId);
      if (idNumber === undefined) return { refused: 'not_found' };
      if (MASKED.test(idNumber)) return { refused: 'masked' };
      auditOutbox.record({
        viewId: uuidv7({ msecs: at.getTime() }),
        agentId,
        customerId,
        phoneMasked: null,
        purpose: ID_CHECK_PURPOSE,
        callId: null,
        viewedAt: at.toISOString(),
      });
      return { idNumber };
    }),
  };
}
