// The agent's open interactions (calls whose outcome is not saved yet) and their drafts, kept in
// the cache so that nothing the agent typed is lost to a second call, a reload or a restart. An
// interaction leaves only by close() (inside the transaction that records its outcome) or by an
// explicit discard(), which writes its audit row in the same transaction.
import { v7 as uuidv7 } from 'uuid';
import { CustomerCard, InteractionRequest, type InteractionDraft, type InteractionState, type OpenInteraction } from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { maskPhone } from '../../shared/domain/masking';
import { normalizeMobile } from '../../shared/domain/phone';
import type { CacheDb } from './open-cache';
import type { InteractionDiscard } from '../../shared/contract/interaction-audit';

interface InteractionRow {
  interaction_id: string;
  request: string;
  card: string | null;
  state: InteractionState;
  opened_at: string;
  wrap_up_started_at: string | null;
  result: InteractionDraft['result'];
  note: string;
  callback_at: string;
  decline_reason: InteractionDraft['declineReason'];
  not_presented_reason: InteractionDraft['notPresentedReason'];
  chosen_offer_id: string | null;
  phone: string | null;
  customer_id: string | null;
  call_id: string | null;
}

export interface NewInteraction {
  interactionId: string;
  agentId: string;
  request: InteractionRequest;
  card: CustomerCard | null;
  state: InteractionState;
  at: Date;
}

export interface OpenInteractions {
  list(agentId: string): OpenInteraction[];
  get(agentId: string, interactionId: string): OpenInteraction | null;
  /**
   * Creates the interaction, or gives an existing one the card it lacked; never touches a draft or
   * a state. Null when the id is another agent's interaction.
   */
  open(interaction: NewInteraction): OpenInteraction | null;
  /** Follows the call: answered → talking, ended → wrap-up (from `at`). Returns false for a call it does not hold. */
  followCall(agentId: string, event: CtiCallEvent, at: string): boolean;
  /** Starts the wrap-up of a call with no CTI events (outbound). Null when no such interaction is open. */
  endCall(agentId: string, interactionId: string, at: Date): OpenInteraction | null;
  /** Returns false when no such interaction is open (saved or discarded meanwhile). */
  saveDraft(agentId: string, interactionId: string, draft: InteractionDraft, at: Date): boolean;
  /** Removes it; call inside the transaction that records its outcome. */
  close(agentId: string, interactionId: string): void;
  /** Removes it and writes the audit row, in one transaction; null when no such interaction is open. */
  discard(agentId: string, interactionId: string, reason: string, at: Date): { discardId: string } | null;
}

const COLUMNS = `interaction_id, request, card, state, opened_at, wrap_up_started_at, result, note, callback_at,
  decline_reason, not_presented_reason, chosen_offer_id, phone, customer_id, call_id`;

// Rows are written only by this module after the contract parsed their parts, so they are trusted.
function toInteraction(row: InteractionRow): OpenInteraction {
  return {
    interactionId: row.interaction_id,
    request: JSON.parse(row.request) as InteractionRequest,
    card: row.card === null ? null : (JSON.parse(row.card) as CustomerCard),
    state: row.state,
    openedAt: row.opened_at,
    wrapUpStartedAt: row.wrap_up_started_at,
    draft: {
      result: row.result,
      note: row.note,
      callbackAt: row.callback_at,
      declineReason: row.decline_reason,
      notPresentedReason: row.not_presented_reason,
      chosenOfferId: row.chosen_offer_id,
    },
  };
}

function draftOf(row: InteractionRow): InteractionDraft {
  return toInteraction(row).draft;
}

function maskedPhoneOf(row: InteractionRow): string | null {
  if (row.phone === null || row.phone === '') return null;
  return maskPhone(normalizeMobile(row.phone) ?? row.phone);
}

/** `onDiscard` runs inside the discard's transaction (the upload queue's row goes with it). */
export function createOpenInteractions(db: CacheDb, onDiscard: (discard: InteractionDiscard) => void = () => undefined): OpenInteractions {
  const selectAll = db.prepare<[string], InteractionRow>(`SELECT ${COLUMNS} FROM open_interactions WHERE agent_id = ? ORDER BY opened_at, interaction_id`);
  const selectOne = db.prepare<[string, string], InteractionRow>(`SELECT ${COLUMNS} FROM open_interactions WHERE agent_id = ? AND interaction_id = ?`);
  // A second open of the same interaction (the renderer after the CTI push, or a reload) only
  // fills in a card still missing, and never touches another agent's interaction.
  const insert = db.prepare<[string, string, string, string | null, string | null, string | null, string | null, InteractionState, string]>(
    `INSERT INTO open_interactions (interaction_id, agent_id, request, call_id, customer_id, phone, card, state, opened_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (interaction_id) DO UPDATE SET card = coalesce(open_interactions.card, excluded.card)
       WHERE open_interactions.agent_id = excluded.agent_id`,
  );
  // Only forward: a late 'answered' after 'ended' must not reopen the call.
  const answer = db.prepare<[string, string]>("UPDATE open_interactions SET state = 'talking' WHERE agent_id = ? AND interaction_id = ? AND state = 'ringing'");
  const end = db.prepare<[string, string, string]>(
    "UPDATE open_interactions SET state = 'wrap_up', wrap_up_started_at = ? WHERE agent_id = ? AND interaction_id = ? AND state <> 'wrap_up'",
  );
  const updateDraft = db.prepare<
    [
      InteractionDraft['result'],
      string,
      string,
      InteractionDraft['declineReason'],
      InteractionDraft['notPresentedReason'],
      string | null,
      string,
      string,
      string,
    ]
  >(
    `UPDATE open_interactions SET result = ?, note = ?, callback_at = ?, decline_reason = ?, not_presented_reason = ?,
       chosen_offer_id = ?, draft_saved_at = ? WHERE agent_id = ? AND interaction_id = ?`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM open_interactions WHERE agent_id = ? AND interaction_id = ?');
  const insertDiscard = db.prepare<[string, string, string, string | null, string | null, string | null, string, string, string, string, string]>(
    `INSERT INTO interaction_discards (discard_id, interaction_id, agent_id, call_id, customer_id, phone_masked, state, opened_at, draft, reason, discarded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const get = (agentId: string, interactionId: string) => {
    const row = selectOne.get(agentId, interactionId);
    return row === undefined ? null : toInteraction(row);
  };

  const open = db.transaction((n: NewInteraction): OpenInteraction | null => {
    // Both callers hand over checked values: the desk contract parsed the renderer's, and the CTI
    // path built its card itself; parsing the card again would cost the screen pop for nothing.
    const { request } = n;
    const card = n.card === null ? null : JSON.stringify(n.card);
    const phone = request.by === 'phone' ? request.phone : null;
    const customerId = request.by === 'customer' ? request.customerId : (n.card?.customer?.id ?? null);
    insert.run(n.interactionId, n.agentId, JSON.stringify(request), request.callId, customerId, phone, card, n.state, n.at.toISOString());
    // Null for another agent's interaction with the same id: never shown to the wrong person.
    return get(n.agentId, n.interactionId);
  });

  const discard = db.transaction((agentId: string, interactionId: string, reason: string, at: Date) => {
    const row = selectOne.get(agentId, interactionId);
    if (row === undefined) return null;
    const discard: InteractionDiscard = {
      discardId: uuidv7({ msecs: at.getTime() }),
      interactionId,
      agentId,
      customerId: row.customer_id,
      callId: row.call_id,
      phoneMasked: maskedPhoneOf(row),
      state: row.state,
      openedAt: row.opened_at,
      reason,
      draft: draftOf(row),
      discardedAt: at.toISOString(),
    };
    insertDiscard.run(
      discard.discardId,
      interactionId,
      agentId,
      discard.callId,
      discard.customerId,
      discard.phoneMasked,
      discard.state,
      discard.openedAt,
      JSON.stringify(discard.draft),
      reason,
      discard.discardedAt,
    );
    onDiscard(discard);
    remove.run(agentId, interactionId);
    return { discardId: discard.discardId };
  });

  return {
    list: (agentId) => selectAll.all(agentId).map(toInteraction),
    get,
    open: (interaction) => open(interaction),
    followCall(agentId, event, at) {
      if (event.event === 'answered') return answer.run(agentId, event.callId).changes > 0;
      if (event.event === 'ended') return end.run(at, agentId, event.callId).changes > 0;
      return false;
    },
    endCall(agentId, interactionId, at) {
      end.run(at.toISOString(), agentId, interactionId);
      return get(agentId, interactionId);
    },
    saveDraft(agentId, interactionId, draft, at) {
      const changed = updateDraft.run(
        draft.result,
        draft.note,
        draft.callbackAt,
        draft.declineReason,
        draft.notPresentedReason,
        draft.chosenOfferId,
        at.toISOString(),
        agentId,
        interactionId,
      );
      return changed.changes > 0;
    },
    close: (agentId, interactionId) => void remove.run(agentId, interactionId),
    discard: (agentId, interactionId, reason, at) => discard(agentId, interactionId, reason, at),
  };
}
