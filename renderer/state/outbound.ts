// The agent's outbound queue: due callbacks and the customers worth calling.
import type { DeskFailure, OutboundQueue } from '../../shared/contract/desk-api';
import { latestOnly, noteLoadFailure, type LoadStatus } from './list-load';
import type { SliceContext } from './slice-context';

export interface OutboundList {
  status: LoadStatus;
  queue: OutboundQueue | null;
  error: DeskFailure | null;
}

export interface OutboundState {
  outbound: OutboundList;
}

export interface OutboundActions {
  loadOutboundQueue(): Promise<void>;
}

export const NO_OUTBOUND: OutboundState = { outbound: { status: 'idle', queue: null, error: null } };

export function createOutboundSlice(ctx: SliceContext): { actions: OutboundActions } {
  const { client, set } = ctx;
  const queues = latestOnly();
  return {
    actions: {
      async loadOutboundQueue() {
        set((s) => ({ outbound: { ...s.outbound, status: 'loading', error: null } }));
        await queues(
          () => client.call('outbound/queue', {}),
          (queue) => set({ outbound: { status: 'done', queue, error: null } }),
          (error) => {
            const failure = noteLoadFailure(ctx, error);
            set((s) => ({ outbound: { ...s.outbound, status: 'failed', error: failure } }));
          },
        );
      },
    },
  };
}
