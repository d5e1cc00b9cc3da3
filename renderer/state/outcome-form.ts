// The outcome form of the card on screen: what the agent chose and typed, and saving it (which
// closes the interaction it belongs to). The rules live in outcome-draft.ts.
import type { DeskFailure } from '../../shared/contract/desk-api';
import type { DeclineReason, NotPresentedReason, OutcomeResult } from '../../shared/contract/outcomes';
import { DEFAULT_CONTACT_HOURS } from '../../shared/domain/contact-hours';
import { failureOf } from '../transport/desk-client';
import { buildOutcomeDraft, type OutcomeFormProblem, type OutcomeFormValues } from './outcome-draft';
import { shownOffer } from './shown-card';
import type { SliceContext } from './slice-context';

export interface OutcomeFormState extends OutcomeFormValues {
  saving: boolean;
  problem: OutcomeFormProblem | null;
  error: DeskFailure | null;
  /** The last outcome saved for the card on screen; its sync state is read from the card. */
  savedOutcomeId: string | null;
}

export interface OutcomeState {
  outcome: OutcomeFormState;
}

export interface OutcomeActions {
  chooseResult(result: OutcomeResult): void;
  setNote(note: string): void;
  setCallbackAt(value: string): void;
  setDeclineReason(reason: DeclineReason | null): void;
  setNotPresentedReason(reason: NotPresentedReason | null): void;
  saveOutcome(): Promise<void>;
}

export const EMPTY_OUTCOME_FORM: OutcomeFormState = {
  result: null,
  note: '',
  callbackAt: '',
  declineReason: null,
  notPresentedReason: null,
  saving: false,
  problem: null,
  error: null,
  savedOutcomeId: null,
};

export const NO_OUTCOME: OutcomeState = { outcome: EMPTY_OUTCOME_FORM };

interface OutcomeDeps {
  /** The interaction's outcome was recorded (the desk closed it in the same transaction). */
  interactionClosed(interactionId: string): void;
  /** Re-reads the card on screen, so the saved outcome shows with its sync state. */
  refreshCard(): Promise<void>;
}

export function createOutcomeSlice(
  { client, set, get, now, noteFailure }: SliceContext,
  { interactionClosed, refreshCard }: OutcomeDeps,
): { actions: OutcomeActions } {
  const patchOutcome = (patch: Partial<OutcomeFormState>) => set((s) => ({ outcome: { ...s.outcome, ...patch } }));

  return {
    actions: {
      chooseResult(result) {
        patchOutcome({ result, problem: null, error: null });
      },

      setNote(note) {
        patchOutcome({ note });
      },

      setCallbackAt(value) {
        patchOutcome({ callbackAt: value, problem: null });
      },

      setDeclineReason(reason) {
        patchOutcome({ declineReason: reason, problem: null });
      },

      setNotPresentedReason(reason) {
        patchOutcome({ notPresentedReason: reason, problem: null });
      },

      async saveOutcome() {
        const { current, chosenOfferId, outcome, session } = get();
        if (current === null || outcome.saving) return;
        const offer = shownOffer(current, chosenOfferId);
        const built = buildOutcomeDraft(outcome, current, offer, session?.role, now(), session?.contactHours ?? DEFAULT_CONTACT_HOURS);
        if (!built.ok) {
          patchOutcome({ problem: built.problem });
          return;
        }
        patchOutcome({ saving: true, problem: null, error: null });
        const { activeInteractionId: interactionId } = get();
        try {
          // The desk closes the interaction in the transaction that records its outcome.
          const saved = await client.call('outcome/record', { ...built.draft, interactionId });
          if (interactionId !== null) interactionClosed(interactionId);
          if (get().current !== current) return;
          set((s) => ({
            outcome: { ...EMPTY_OUTCOME_FORM, savedOutcomeId: saved.outcomeId },
            sync: s.sync === null ? null : { ...s.sync, outboxPending: saved.outboxPending },
          }));
          await refreshCard();
        } catch (error) {
          const failure = failureOf(error);
          patchOutcome({ saving: false, error: failure });
          noteFailure(failure);
        }
      },
    },
  };
}
