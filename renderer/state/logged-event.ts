// Events the agent logs on the card on screen (Alt+W a network fault, a complaint once its undo
// window passed): the desk re-scores the customer and the new card replaces the one shown while
// the call, the script and the outcome form go on.
import type { DeskFailure } from '../../shared/contract/desk-api';
import type { CustomerEventKind } from '../../shared/contract/customer-events';
import { failureOf } from '../transport/desk-client';
import type { CustomerEventDetails } from './complaint';
import type { SliceContext } from './slice-context';

/** The last event logged on the card on screen, and how the re-assessment came out. */
export interface LoggedEvent {
  kind: CustomerEventKind;
  status: 'saving' | 'saved' | 'failed';
  /** The churn probability of the re-scored card (null while saving, on failure, or unscored). */
  churnProbability: number | null;
  error: DeskFailure | null;
}

export interface LoggedEventState {
  loggedEvent: LoggedEvent | null;
}

export interface LoggedEventActions {
  /** Logs the event for the customer on screen, or the one given. */
  logCustomerEvent(kind: CustomerEventKind, details?: CustomerEventDetails): Promise<void>;
}

export const NO_LOGGED_EVENT: LoggedEventState = { loggedEvent: null };

interface LoggedEventDeps {
  /** Counts card requests: the answer may replace the card only if none came since. */
  requestSeq(): number;
}

export function createLoggedEventSlice({ client, set, get, noteFailure }: SliceContext, { requestSeq }: LoggedEventDeps): { actions: LoggedEventActions } {
  return {
    actions: {
      async logCustomerEvent(kind, details) {
        const view = get().current;
        const customerId = details?.customerId ?? view?.card.customer?.id;
        if (customerId === undefined) return;
        // A click while one is saving is a double click; a complaint past its undo window always goes.
        if (details === undefined && get().loggedEvent?.status === 'saving') return;
        const callId = details === undefined ? (view?.request.callId ?? null) : details.callId;
        const seq = requestSeq();
        // Only the answer for the customer still on screen may replace the card.
        const stillShown = () => seq === requestSeq() && get().current?.card.customer?.id === customerId;
        set({ loggedEvent: { kind, status: 'saving', churnProbability: null, error: null } });
        try {
          const card = await client.call('customer/logEvent', {
            customerId,
            callId,
            kind,
            note: details?.note ?? '',
            ...(details?.category == null ? {} : { category: details.category }),
          });
          if (!stillShown()) return;
          set((s) => ({
            current: s.current === null ? null : { ...s.current, card },
            loggedEvent: { kind, status: 'saved', churnProbability: card.assessment.churnProbability, error: null },
          }));
        } catch (error) {
          const failure = failureOf(error);
          if (stillShown()) set({ loggedEvent: { kind, status: 'failed', churnProbability: null, error: failure } });
          noteFailure(failure);
        }
      },
    },
  };
}
