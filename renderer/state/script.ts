// The offer the agent presents and where in its script they are: choosing and cycling offers,
// stepping through opening, pitch and objection answers (see script-steps.ts).
import { contentLanguage } from '../i18n/languages';
import { nextObjectionStep, objectionStep, OPENING_STEP, PITCH_STEP, stepBy } from './script-steps';
import { CARD_OFFERS_SHOWN, shownOffer } from './shown-card';
import type { SliceContext } from './slice-context';

export interface ScriptState {
  chosenOfferId: string | null;
  /** The script step of the shown offer the agent is at (see script-steps.ts). */
  scriptStep: number;
}

export interface ScriptActions {
  chooseOffer(offerId: string): void;
  /** Alt+P: presents the next of the card's offers (best, then the alternatives), wrapping around. */
  cycleOffer(): void;
  /** Alt+J / Alt+K: the next or previous script step of the shown offer. */
  stepScript(delta: 1 | -1): void;
  /** Opens one objection answer of the shown offer (null goes back to the pitch). */
  openObjection(index: number | null): void;
  /** Opens the next objection answer, wrapping around (the Alt+O shortcut). */
  cycleObjection(): void;
}

/** A new card starts at the best offer's opening. */
export const NO_SCRIPT: ScriptState = { chosenOfferId: null, scriptStep: OPENING_STEP };

export function createScriptSlice({ set, get }: SliceContext): { actions: ScriptActions } {
  const shownScript = () => {
    const { current, chosenOfferId, language } = get();
    return shownOffer(current, chosenOfferId)?.script[contentLanguage(language)] ?? null;
  };

  const actions: ScriptActions = {
    chooseOffer(offerId) {
      set((s) => ({ chosenOfferId: offerId, scriptStep: OPENING_STEP, outcome: { ...s.outcome, problem: null } }));
    },

    cycleOffer() {
      const { current, chosenOfferId } = get();
      const shown = shownOffer(current, chosenOfferId);
      if (current === null || shown === null) return;
      const offers = current.card.offers.slice(0, CARD_OFFERS_SHOWN);
      const next = offers[(offers.findIndex((o) => o.offerId === shown.offerId) + 1) % offers.length];
      if (next !== undefined) actions.chooseOffer(next.offerId);
    },

    stepScript(delta) {
      const script = shownScript();
      if (script !== null) set({ scriptStep: stepBy(script, get().scriptStep, delta) });
    },

    openObjection(index) {
      set({ scriptStep: index === null ? PITCH_STEP : objectionStep(index) });
    },

    cycleObjection() {
      const script = shownScript();
      const step = script === null ? null : nextObjectionStep(script, get().scriptStep);
      if (step !== null) set({ scriptStep: step });
    },
  };
  return { actions };
}
