// The CTI call at the desk: a ringing call opens its interaction beside the ones already open and
// comes on screen; answered and ended follow it.
import type { CustomerCard, OpenInteraction } from '../../shared/contract/desk-api';
import type { CtiCallEvent } from '../../shared/contract/central-api';
import { markCallOffered } from '../perf/screen-pop';
import type { DeskState } from './desk-store';
import type { InteractionSlice } from './interactions';
import type { SliceContext } from './slice-context';

export interface CallView {
  callId: string;
  ani: string;
  state: CtiCallEvent['event'];
}

export interface CallState {
  call: CallView | null;
}

export const NO_CALL: CallState = { call: null };

interface CallDeps {
  interactions: Pick<InteractionSlice, 'callOffered' | 'callChanged'>;
  putOnScreen(interaction: OpenInteraction, extra: Partial<DeskState>): void;
}

export interface CallSlice {
  /** A CTI event for the signed-in agent, with the card the desk built as the call rang. */
  callEvent(event: CtiCallEvent, at: string, card: CustomerCard | undefined): void;
}

export function createCallSlice({ set, get }: SliceContext, { interactions, putOnScreen }: CallDeps): CallSlice {
  return {
    callEvent(event, at, card) {
      if (get().session === null) return;
      if (event.event === 'offered') {
        markCallOffered(event.callId);
        const call = { callId: event.callId, ani: event.ani, state: 'offered' } as const;
        // The ringing call opens beside the interactions already open and comes on screen; the one
        // it replaces on screen stays listed with its draft. The desk built the caller's card as the
        // call rang: shown in the same render, no round trip (without it, it is looked up).
        const interaction = interactions.callOffered(event, at, card ?? null);
        putOnScreen({ ...interaction, card: card ?? interaction.card }, { call });
        return;
      }
      interactions.callChanged(event, at);
      const call = get().call;
      if (call !== null && call.callId === event.callId) set({ call: { ...call, state: event.event } });
    },
  };
}
