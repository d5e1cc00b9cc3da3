// What exists only on a desk, written into a cache and checked after it was converted or reopened:
// an outcome in the outbox and an open interaction with a typed draft.
import { expect } from 'vitest';
import type { CacheDb } from '../../../db/cache/open-cache';
import { createOpenInteractions } from '../../../db/cache/open-interactions';
import { createOutbox } from '../../../db/outbox/outbox';
import { makeDraft } from './fixtures';

const AT = new Date('2025-06-01T10:00:00Z');
export const DESK_WORK_NOTE = '客户说下个月再考虑';

/** Records the outcome (for `phone`) and opens the interaction with its draft (for `draftPhone`) as `agentId`; returns the outcome's id. */
export function addDeskWork(db: CacheDb, phone: string, draftPhone: string, agentId = 'agent-1'): string {
  const recorded = createOutbox(db).record(makeDraft({ phone, note: DESK_WORK_NOTE }), agentId, AT);
  const interactions = createOpenInteractions(db);
  const request = { by: 'phone', phone: draftPhone, callId: 'call-9', source: 'call' } as const;
  interactions.open({ interactionId: 'call-9', agentId, request, card: null, state: 'wrap_up', at: AT });
  const draft = {
    result: 'declined',
    note: DESK_WORK_NOTE,
    callbackAt: '2025-06-0',
    declineReason: 'price',
    notPresentedReason: null,
    chosenOfferId: null,
  } as const;
  expect(interactions.saveDraft(agentId, 'call-9', draft, AT)).toBe(true);
  return recorded.outcomeId;
}

export function expectDeskWork(db: CacheDb, outcomeId: string, agentId = 'agent-1'): void {
  const outbox = createOutbox(db);
  expect(outbox.counts().pending).toBe(1);
  expect(outbox.takeDue(agentId, 10, AT.getTime() + 1).map((o) => [o.outcomeId, o.draft.note])).toEqual([[outcomeId, DESK_WORK_NOTE]]);
  const [interaction] = createOpenInteractions(db).list(agentId);
  expect(interaction?.draft).toMatchObject({ result: 'declined', note: DESK_WORK_NOTE, callbackAt: '2025-06-0' });
}
