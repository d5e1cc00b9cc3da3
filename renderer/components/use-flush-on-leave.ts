import { useEffect } from 'react';
import { useDeskStoreApi } from '../state/store-context';

/**
 * When the page goes (reload, window closed), the draft keystrokes still waiting for their debounce
 * and a complaint still in its undo window are sent at once. Best effort: the desk cache already
 * holds every draft up to the last short debounce, so this only narrows that window.
 */
export function useFlushOnLeave(): void {
  const store = useDeskStoreApi();
  useEffect(() => {
    const flush = () => {
      const { actions } = store.getState();
      void actions.flushDrafts();
      void actions.flushComplaint();
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [store]);
}
