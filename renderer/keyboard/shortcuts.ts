// Agent shortcuts. Matched on KeyboardEvent.code (the physical key) because Alt+letter
// produces other characters on some layouts (macOS Option).
import { OUTCOME_RESULTS, type OutcomeResult } from '../../shared/contract/outcomes';

export type DeskShortcut =
  | { action: 'chooseResult'; result: OutcomeResult }
  | { action: 'saveOutcome' }
  | { action: 'focusLookup' }
  | { action: 'cycleObjection' };

/** Alt+1..4 follow the order of the outcome buttons. */
export const RESULT_SHORTCUT_KEYS: Record<OutcomeResult, string> = Object.fromEntries(
  OUTCOME_RESULTS.map((result, i) => [result, `Alt+${i + 1}`]),
) as Record<OutcomeResult, string>;

export const SAVE_SHORTCUT = 'Alt+S';
export const LOOKUP_SHORTCUT = 'Alt+L';
export const OBJECTION_SHORTCUT = 'Alt+O';

export function shortcutFor(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>): DeskShortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (digit !== null) {
    const result = OUTCOME_RESULTS[Number(digit[1]) - 1];
    return result === undefined ? null : { action: 'chooseResult', result };
  }
  switch (event.code) {
    case 'KeyS':
      return { action: 'saveOutcome' };
    case 'KeyL':
      return { action: 'focusLookup' };
    case 'KeyO':
      return { action: 'cycleObjection' };
    default:
      return null;
  }
}
