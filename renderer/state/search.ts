// Counter search: the customers matching what the clerk typed.
import type { DeskFailure, SearchMatch } from '../../shared/contract/desk-api';
import { latestOnly, noteLoadFailure, type LoadStatus } from './list-load';
import type { SliceContext } from './slice-context';

export interface SearchList {
  status: LoadStatus;
  query: string;
  matches: SearchMatch[];
  truncated: boolean;
  error: DeskFailure | null;
}

export interface SearchState {
  search: SearchList;
}

export interface SearchActions {
  searchCustomers(query: string): Promise<void>;
}

export const NO_SEARCH: SearchState = {
  search: { status: 'idle', query: '', matches: [], truncated: false, error: null },
};

export function createSearchSlice(ctx: SliceContext): { actions: SearchActions } {
  const { client, set } = ctx;
  const searches = latestOnly();
  return {
    actions: {
      async searchCustomers(query) {
        const trimmed = query.trim();
        if (trimmed === '') return;
        set((s) => ({ search: { ...s.search, status: 'loading', query: trimmed, error: null } }));
        await searches(
          () => client.call('customer/search', { query: trimmed }),
          ({ matches, truncated }) => set({ search: { status: 'done', query: trimmed, matches, truncated, error: null } }),
          (error) => set({ search: { status: 'failed', query: trimmed, matches: [], truncated: false, error: noteLoadFailure(ctx, error) } }),
        );
      },
    },
  };
}
