// The script as steps the agent walks with the keyboard: opening, pitch, then each objection
// answer (the likely ones first, as the card orders them).
import type { RenderedScript } from '../../shared/contract/desk-api';

export const OPENING_STEP = 0;
export const PITCH_STEP = 1;
const FIRST_OBJECTION_STEP = 2;

function scriptStepCount(script: RenderedScript): number {
  return FIRST_OBJECTION_STEP + script.objections.length;
}

/** The next (+1) or previous (-1) step, staying within the script. */
export function stepBy(script: RenderedScript, step: number, delta: 1 | -1): number {
  return Math.min(Math.max(step + delta, OPENING_STEP), scriptStepCount(script) - 1);
}

export function objectionStep(index: number): number {
  return FIRST_OBJECTION_STEP + index;
}

/** The objection a step shows, or null for opening and pitch. */
export function objectionIndexOf(step: number): number | null {
  return step >= FIRST_OBJECTION_STEP ? step - FIRST_OBJECTION_STEP : null;
}

/** Alt+O: the next objection answer, wrapping around; from opening or pitch the first one. */
export function nextObjectionStep(script: RenderedScript, step: number): number | null {
  const count = script.objections.length;
  if (count === 0) return null;
  const index = objectionIndexOf(step);
  return objectionStep(index === null ? 0 : (index + 1) % count);
}
