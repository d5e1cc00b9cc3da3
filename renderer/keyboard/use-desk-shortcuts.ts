import { useEffect, type RefObject } from 'react';
import { useDeskActions } from '../state/store-context';
import { shortcutFor } from './shortcuts';

/** Listens for the agent shortcuts while the desk screen is mounted. */
export function useDeskShortcuts(lookupInput: RefObject<HTMLInputElement | null>) {
  const actions = useDeskActions();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(event);
      if (shortcut === null) return;
      event.preventDefault();
      switch (shortcut.action) {
        case 'chooseResult':
          actions.chooseResult(shortcut.result);
          return;
        case 'saveOutcome':
          void actions.saveOutcome();
          return;
        case 'focusLookup':
          lookupInput.current?.focus();
          lookupInput.current?.select();
          return;
        case 'cycleObjection':
          actions.cycleObjection();
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions, lookupInput]);
}
