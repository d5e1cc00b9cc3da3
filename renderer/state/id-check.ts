// The store counter's identity check on the card on screen: the clerk opens the check, confirms
// they compared the customer with the ID card, and the desk backend answers with the whole ID
// number (audit-logged there). The number lives here only while that card is on screen: any new
// card request, and signing out, clears it.
import type { DeskFailure } from '../../shared/contract/desk-api';
import { failureOf } from '../transport/desk-client';
import type { SliceContext } from './slice-context';

export type IdCheck =
  | { customerId: string; status: 'confirming' }
  | { customerId: string; status: 'checking' }
  | { customerId: string; status: 'shown'; idNumber: string; checkedAt: string }
  | { customerId: string; status: 'failed'; error: DeskFailure };

export interface IdCheckState {
  idCheck: IdCheck | null;
}

export interface IdCheckActions {
  /** Asks the clerk to confirm the ID card check for the customer on screen. */
  startIdCheck(customerId: string): void;
  cancelIdCheck(): void;
  /** The clerk confirmed the check: fetches the whole number for the customer on screen. */
  revealIdNumber(customerId: string): Promise<void>;
}

export const NO_ID_CHECK: IdCheckState = { idCheck: null };

export function createIdCheckSlice({ client, set, get, subscribe, noteFailure }: SliceContext): { actions: IdCheckActions } {
  // A refreshed card keeps its request; another lookup (even of the same customer) is a new visit.
  subscribe((state, previous) => {
    if (state.idCheck !== null && state.current?.request !== previous.current?.request) set(NO_ID_CHECK);
  });

  const onScreen = (customerId: string) => get().current?.card.customer?.id === customerId;

  return {
    actions: {
      startIdCheck(customerId) {
        if (onScreen(customerId)) set({ idCheck: { customerId, status: 'confirming' } });
      },

      cancelIdCheck() {
        set(NO_ID_CHECK);
      },

      async revealIdNumber(customerId) {
        const request = get().current?.request;
        if (!onScreen(customerId) || get().idCheck?.status === 'checking') return;
        // The answer belongs to this visit only: a card changed meanwhile never shows it.
        const stillShown = () => get().current?.request === request && get().idCheck?.customerId === customerId;
        set({ idCheck: { customerId, status: 'checking' } });
        try {
          const { idNumber, checkedAt } = await client.call('customer/revealIdNumber', { customerId, idCardChecked: true });
          if (stillShown()) set({ idCheck: { customerId, status: 'shown', idNumber, checkedAt } });
        } catch (error) {
          const failure = failureOf(error);
          if (stillShown()) set({ idCheck: { customerId, status: 'failed', error: failure } });
          noteFailure(failure);
        }
      },
    },
  };
}
