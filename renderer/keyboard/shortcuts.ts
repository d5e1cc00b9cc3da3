// Agent shortcuts. Matched on KeyboardEvent.code (the physical key) because Alt+letter
// produces other characters on some layouts (macOS Option). One table feeds both the key
// handler and the hints, so they cannot drift apart.
import { OUTCOME_RESULTS, type OutcomeResult } from '../../shared/contract/outcomes';
import type { Role } from '../../shared/contract/central-api';

export type DeskShortcut =
  | { action: 'chooseResult'; result: OutcomeResult }
  | { action: 'saveOutcome' }
  | { action: 'focusLookup' }
  | { action: 'cycleObjection' }
  | { action: 'nextStep' }
  | { action: 'previousStep' }
  | { action: 'cycleOffer' }
  | { action: 'focusReason' }
  | { action: 'focusNote' }
  | { action: 'toggleQueue' }
  | { action: 'syncNow' }
  | { action: 'logComplaint' }
  | { action: 'logNetworkIssue' }
  | { action: 'cycleInteraction' }
  | { action: 'endCall' }
  | { action: 'discardInteraction' };

type LetterAction = Exclude<DeskShortcut, { action: 'chooseResult' }>['action'];

/** Alt+letter shortcuts; the letter is the key's code (KeyX). */
const LETTER_SHORTCUTS: Record<LetterAction, string> = {
  saveOutcome: 'S',
  focusLookup: 'L',
  cycleObjection: 'O',
  nextStep: 'J',
  previousStep: 'K',
  cycleOffer: 'P',
  focusReason: 'R',
  focusNote: 'N',
  toggleQueue: 'Q',
  syncNow: 'Y',
  logComplaint: 'C',
  logNetworkIssue: 'W',
  cycleInteraction: 'I',
  endCall: 'E',
  discardInteraction: 'D',
};

export const keysFor = (action: LetterAction) => `Alt+${LETTER_SHORTCUTS[action]}`;

/** Alt+1..4 follow the order of the outcome buttons. */
export const RESULT_SHORTCUT_KEYS: Record<OutcomeResult, string> = Object.fromEntries(OUTCOME_RESULTS.map((result, i) => [result, `Alt+${i + 1}`])) as Record<
  OutcomeResult,
  string
>;

export const SAVE_SHORTCUT = keysFor('saveOutcome');
export const LOOKUP_SHORTCUT = keysFor('focusLookup');
export const OBJECTION_SHORTCUT = keysFor('cycleObjection');

/** The hints shown on the desk, in order: [keys, i18n key of what they do]. */
export const SHORTCUT_HINTS: readonly (readonly [string, string])[] = [
  [`${RESULT_SHORTCUT_KEYS.accepted}…${OUTCOME_RESULTS.length}`, 'shortcut.outcome'],
  [keysFor('focusReason'), 'shortcut.reason'],
  [keysFor('focusNote'), 'shortcut.note'],
  [SAVE_SHORTCUT, 'shortcut.save'],
  [`${keysFor('nextStep')} / ${keysFor('previousStep')}`, 'shortcut.steps'],
  [OBJECTION_SHORTCUT, 'shortcut.objections'],
  [keysFor('cycleOffer'), 'shortcut.offer'],
  [LOOKUP_SHORTCUT, 'shortcut.lookup'],
  [keysFor('toggleQueue'), 'shortcut.queue'],
  [keysFor('syncNow'), 'shortcut.sync'],
  [keysFor('logComplaint'), 'shortcut.logComplaint'],
  [keysFor('logNetworkIssue'), 'shortcut.logNetworkIssue'],
  [keysFor('cycleInteraction'), 'shortcut.cycleInteraction'],
];

/** What only a hotline agent's desk has: a phone script, the outbound queue, calls side by side. */
const AGENT_ONLY_HINTS: ReadonlySet<string> = new Set(['shortcut.steps', 'shortcut.queue', 'shortcut.cycleInteraction']);

/** The hints that do something on this role's desk. */
export const shortcutHintsFor = (role: Role | undefined) => SHORTCUT_HINTS.filter(([, label]) => role === 'agent' || !AGENT_ONLY_HINTS.has(label));

export function shortcutFor(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>): DeskShortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (digit !== null) {
    const result = OUTCOME_RESULTS[Number(digit[1]) - 1];
    return result === undefined ? null : { action: 'chooseResult', result };
  }
  const letter = /^Key([A-Z])$/.exec(event.code)?.[1];
  const action = (Object.keys(LETTER_SHORTCUTS) as LetterAction[]).find((a) => LETTER_SHORTCUTS[a] === letter);
  return action === undefined ? null : { action };
}
