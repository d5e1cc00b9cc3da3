// Hands the desk store to components; tests render with their own store.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DeskActions, DeskState, DeskStore } from './desk-store';

const DeskStoreContext = createContext<DeskStore | null>(null);

export function DeskStoreProvider({ store, children }: { store: DeskStore; children: ReactNode }) {
  return <DeskStoreContext.Provider value={store}>{children}</DeskStoreContext.Provider>;
}

/** The store itself, for handlers that read the latest state when they run. */
export function useDeskStoreApi(): DeskStore {
  const store = useContext(DeskStoreContext);
  if (store === null) throw new Error('useDesk must be used inside <DeskStoreProvider>');
  return store;
}

/** Selects a slice of desk state; return existing objects or primitives, not fresh ones. */
export function useDesk<T>(selector: (state: DeskState) => T): T {
  return useStore(useDeskStoreApi(), selector);
}

export function useDeskActions(): DeskActions {
  return useDesk((s) => s.actions);
}
