import { useEffect } from 'react';
import { useDeskStoreApi } from '../state/store-context';
import { shortcutFor } from './shortcuts';

/** Elements the shortcuts move the focus to; each screen mounts at most one of each. */
export const FOCUS_TARGET = {
  lookup: 'lookup-input',
  reason: 'outcome-reason',
  note: 'outcome-note',
} as const;

function focusById(id: string) {
  const element = document.getElementById(id);
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) element.select();
  element?.focus();
}

/** Listens for the agent shortcuts while the desk screen is mounted. */
export function useDeskShortcuts() {
  const store = useDeskStoreApi();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(event);
      if (shortcut === null) return;
      event.preventDefault();
      const { actions, agentTab, session } = store.getState();
      switch (shortcut.action) {
        case 'chooseResult':
          actions.chooseResult(shortcut.result);
          return;
        case 'saveOutcome':
          void actions.saveOutcome();
          return;
        case 'focusLookup':
          focusById(FOCUS_TARGET.lookup);
          return;
        case 'focusReason':
          focusById(FOCUS_TARGET.reason);
          return;
        case 'focusNote':
          focusById(FOCUS_TARGET.note);
          return;
        case 'cycleObjection':
          actions.cycleObjection();
          return;
        case 'nextStep':
          actions.stepScript(1);
          return;
        case 'previousStep':
          actions.stepScript(-1);
          return;
        case 'cycleOffer':
          actions.cycleOffer();
          return;
        case 'toggleQueue':
          if (session?.role === 'agent') actions.showTab(agentTab === 'card' ? 'outbound' : 'card');
          return;
        case 'syncNow':
          void actions.syncNow();
          return;
        case 'logComplaint':
          actions.askComplaint();
          return;
        case 'logNetworkIssue':
          void actions.logCustomerEvent('network_issue');
          return;
        case 'cycleInteraction':
          actions.cycleInteraction();
          return;
        case 'endCall':
          void actions.endCall();
          return;
        case 'discardInteraction':
          actions.askDiscard();
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
